/**
 * quant-supervision: one module, one package per concern: cli (the commands), config (env.conf,
 * alerts.conf, the registry of keys), record (the runner's files), runner (prepare's lock,
 * takeover and plan), health, alert, notify (sd_notify), process (pid + start time, /proc,
 * signals), manager (systemd, supervisord), host (enable, groups), status, doctor, drill, clock
 * (boot-time moments), identity (accounts, the file-creation mask), etcd (the failover mode's
 * client of etcd's JSON gateway), metrics (Prometheus' text format) and web (serve's status page). ARCHITECTURE.md gives
 * what each depends on.
 * The runner's resident half is no Java: bin/quant-monitor (src/main/c/monitor). picocli is
 * compiled into the module from source (see maven/app/pom.xml).
 */
module org.quantsupervision {
    requires tools.jackson.core;
    // Alerts (Slack, PagerDuty, webhooks), the API check and the etcd client (its TLS, from
    // PEM files, needs only java.base: JSSE, and the EC and EdDSA keys, in java.base since JDK 22).
    requires java.net.http;
    // supervisord's XML-RPC answers are parsed with the JDK's XML parser.
    requires java.xml;
    // sun.misc.Signal: demo, drill and the resident health checker handle SIGTERM, SIGINT and
    // SIGHUP themselves (cli/Signals.java): the checker ends its round on SIGTERM and starts one on
    // SIGHUP, which the JDK's shutdown hooks cannot tell apart.
    requires jdk.unsupported;
    // serve: the status page and /metrics over the JDK's own HTTP server (web/StatusServer.java).
    requires jdk.httpserver;
}
