package io.globalgate.soak;

/**
 * {@code soak/run --duration 30m}: the soak for as long as you like. Prints progress, then the
 * summary table; exit code 0 when no violation was found, 1 otherwise, 2 on bad options.
 */
public final class SoakRunner {

    private SoakRunner() {
    }

    public static void main(String[] args) throws Exception {
        SoakConfig config;
        try {
            config = SoakConfig.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(e.getMessage().startsWith("Usage") ? 0 : 2);
            return;
        }
        Soak.Result result = Soak.run(config, System.out);
        System.out.println();
        System.out.print(result.summary());
        System.out.flush();
        System.exit(result.report().passed() ? 0 : 1);
    }
}
