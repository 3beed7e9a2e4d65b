package io.globalgate.filter.contract;

import io.globalgate.filter.GlobalTokenFilter;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The filter under test, unchanged, remembering what the container did to it: Tomcat logs a failed
 * filter init and marks the context failed, so the exception is only reachable from here.
 */
public final class RecordingTokenFilter extends GlobalTokenFilter {

    private final AtomicInteger destroyed = new AtomicInteger();
    private volatile ServletException initFailure;

    @Override
    public void init(FilterConfig filterConfig) throws ServletException {
        try {
            super.init(filterConfig);
        } catch (ServletException e) {
            initFailure = e;
            throw e;
        }
    }

    @Override
    public void destroy() {
        destroyed.incrementAndGet();
        super.destroy();
    }

    public ServletException initFailure() {
        return initFailure;
    }

    public int destroyCount() {
        return destroyed.get();
    }
}
