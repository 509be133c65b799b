package org.quantsupervision.doctor;

import java.nio.file.Path;
import java.util.function.Function;

import org.quantsupervision.config.StrategyAccount;

/**
 * Where doctor looks: the installed layout on a host, or a temporary one in tests.
 *
 * @param configRoot /etc/strategies
 * @param systemdEtc /etc/systemd, for unit drop-ins and journald.conf
 * @param supervisorConf a strategy's supervisord program file, by name
 * @param account the account each strategy runs as, by name ({@link StrategyAccount#of} on a host)
 * @param alertsFile the host's alert channels (/etc/quant-supervision/alerts.conf)
 * @param systemd whether systemd is the init system (units are asked about only then)
 */
public record Layout(Path configRoot, Path systemdEtc, Function<String, Path> supervisorConf,
        Function<String, StrategyAccount> account, Path alertsFile,
        boolean systemd) {
}
