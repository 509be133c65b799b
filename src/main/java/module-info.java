/**
 * quant-supervision: one module, one package per layer (cli, config, runner, notify, health, alert,
 * control, status). picocli is compiled into the module from source (see maven/app/pom.xml).
 */
module org.quantsupervision {
}
