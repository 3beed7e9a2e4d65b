package io.globalgate.admin.pages;

import java.util.ArrayList;
import java.util.List;

/**
 * Where a grid stands: the page shown, its size, the total, and the link to another page;
 * {@code param} names the page parameter ({@code page}, or another for a second grid on one page).
 */
public record Paging(int page, int size, long total, String linkBase, String param) {

    /** Pages linked on each side of the current one; the first and the last are always linked. */
    static final int AROUND = 2;

    public Paging(int page, int size, long total, String linkBase) {
        this(page, size, total, linkBase, "page");
    }

    public long pages() {
        return Math.max(1, (total + size - 1) / size);
    }

    public boolean hasPrevious() {
        return page > 1;
    }

    public boolean hasNext() {
        return page < pages();
    }

    /** {@code linkBase} ends in {@code ?...&} or {@code ?}, ready for the page parameter. */
    public String link(long target) {
        return linkBase + param + "=" + target + ("page".equals(param) ? "&size=" + size : "");
    }

    /**
     * The page numbers to link, in order, with 0 where pages are left out: the first, the last, and
     * those within {@link #AROUND} of the current one ({@code 1 0 4 5 6 7 8 0 500}).
     */
    public List<Long> numbers() {
        List<Long> numbers = new ArrayList<>();
        long last = pages();
        long from = Math.max(1, page - AROUND);
        long to = Math.min(last, page + AROUND);
        if (from > 1) {
            numbers.add(1L);
            if (from > 2) {
                numbers.add(0L);
            }
        }
        for (long n = from; n <= to; n++) {
            numbers.add(n);
        }
        if (to < last) {
            if (to < last - 1) {
                numbers.add(0L);
            }
            numbers.add(last);
        }
        return numbers;
    }

    public long first() {
        return total == 0 ? 0 : (long) (page - 1) * size + 1;
    }

    public long last() {
        return Math.min(total, (long) page * size);
    }
}
