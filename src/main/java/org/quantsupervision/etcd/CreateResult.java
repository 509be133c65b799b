package org.quantsupervision.etcd;

/**
 * What {@link EtcdClient#createIfAbsent} found. CREATED: this call's value (with its lease) is
 * now the key's. HOLDER: the key as it is after the call, this call's value when CREATED, the
 * existing holder otherwise (its CREATE_REVISION names that holder). REVISION: the store's
 * revision at the transaction.
 */
public record CreateResult(boolean created, KeyValue holder, long revision) {
}
