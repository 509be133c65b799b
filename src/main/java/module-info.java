/**
 * quant-supervision: one module, one package per layer (cli, config, runner, notify, health, alert,
 * control, status). picocli is compiled into the module from source (see maven/app/pom.xml).
 */
module org.quantsupervision {
    requires tools.jackson.core;
    // Alerts (Slack, PagerDuty, webhooks) and the API check.
    requires java.net.http;
    // supervisord's XML-RPC answers are parsed with the JDK's XML parser.
    requires java.xml;
    // sun.misc.Signal: the runner and the resident health checker handle SIGTERM, SIGINT and
    // SIGHUP themselves (the runner passes SIGHUP on to the strategy, the checker starts a round;
    // the JDK's shutdown hooks cannot tell the signals apart).
    requires jdk.unsupported;
}
