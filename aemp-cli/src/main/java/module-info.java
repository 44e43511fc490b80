/**
 * The {@code aemp} command-line tool. Its commands are picocli classes, which picocli reads and
 * fills by reflection; the {@code Aemp::Echo} service is a {@link org.aemp.Service}.
 */
module org.aemp.cli {
    requires transitive org.aemp.core;
    requires org.aemp.tls;
    requires org.aemp.observe;
    requires info.picocli;
    // sun.misc.Signal: SIGTERM and SIGINT close the node gracefully
    requires jdk.unsupported;

    exports org.aemp.cli;
    opens org.aemp.cli to info.picocli;

    provides org.aemp.Service with org.aemp.cli.EchoService;
}
