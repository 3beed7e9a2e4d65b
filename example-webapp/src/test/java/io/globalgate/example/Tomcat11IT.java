package io.globalgate.example;

/** The example WAR in a standalone Apache Tomcat 11. */
class Tomcat11IT extends TomcatContract {

    @Override
    String version() {
        return System.getProperty("tomcat11.version");
    }
}
