package io.globalgate.config;

import java.util.function.Function;

/**
 * How a refusal names an option: the filter and the admin servlet by init-param
 * ({@code cacheTtl: must be ...}), the sample gateway by flag and variable
 * ({@code --port / GLOBALGATE_PORT must be ...}).
 */
public record Labels(Function<Option<?>, String> label, String separator) {

    public static final Labels BY_NAME = new Labels(Option::name, ": ");
    public static final Labels BY_FLAG_AND_VARIABLE = new Labels(o -> o.flag() + " / " + o.env(), " ");

    public String of(Option<?> option) {
        return label.apply(option);
    }
}
