package org.quantsupervision.failover;

import java.util.Optional;

import org.quantsupervision.config.FailoverConfig;
import org.quantsupervision.etcd.EtcdClient;
import org.quantsupervision.etcd.EtcdException;
import org.quantsupervision.etcd.EtcdSettings;

/** The etcd client a strategy's FAILOVER_ETCD_* keys describe: the one way every command reaches it. */
public final class EtcdAccess {
    private EtcdAccess() {
    }

    public static EtcdSettings settings(FailoverConfig c) {
        Optional<EtcdSettings.Tls> tls = c.ca().map(ca -> new EtcdSettings.Tls(ca, c.cert(), c.key()));
        Optional<EtcdSettings.Auth> auth = c.user().map(u -> new EtcdSettings.Auth(u, c.passwordFile().orElseThrow()));
        return new EtcdSettings(c.endpoints(), c.etcdTimeout(), tls, auth);
    }

    public static EtcdClient open(FailoverConfig c) throws EtcdException {
        return EtcdClient.open(settings(c));
    }
}
