package io.globalgate.example;

/** The example WAR in a standalone Apache Tomcat 10.1. */
class Tomcat10IT extends TomcatContract {

    @Override
    String version() {
        return System.getProperty("tomcat10.version");
    }
}
