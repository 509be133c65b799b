package org.quantsupervision.doctor;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * Where doctor looks: the installed layout on a host, or a temporary one in tests.
 *
 * @param configRoot /etc/strategies
 * @param systemdEtc /etc/systemd, for unit drop-ins and journald.conf
 * @param supervisorConf a strategy's supervisord program file, by name
 * @param owner who must own env.conf (quant-user once the package is installed)
 * @param systemd whether systemd is the init system (units are asked about only then)
 */
public record Layout(Path configRoot, Path systemdEtc, Function<String, Path> supervisorConf, String owner,
        boolean systemd) {
}
