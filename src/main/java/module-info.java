/**
 * quant-supervision: one module, one package per layer (cli, config, runner, health, alert, control,
 * status). picocli is compiled into the module from source (see maven/app/pom.xml).
 */
module org.quantsupervision {
    requires tools.jackson.core;
    // Alerts (Slack, PagerDuty, webhooks) and the API check.
    requires java.net.http;
    // supervisord's XML-RPC answers are parsed with the JDK's XML parser.
    requires java.xml;
    // sun.misc.Signal: demo, drill and the health checker's loop handle SIGTERM and SIGINT
    // themselves, to clean up in order (cli/Signals.java).
    requires jdk.unsupported;
}
