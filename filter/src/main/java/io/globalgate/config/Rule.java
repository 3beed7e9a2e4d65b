package io.globalgate.config;

/** A rule between options, checked once every option has been read on its own. */
@FunctionalInterface
public interface Rule {

    /** Adds to {@code problems} what is wrong; {@link Settings#get} is null for a value its own parser refused. */
    void check(Settings settings, Problems problems);
}
