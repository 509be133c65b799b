package org.quantsupervision.alert;

import java.net.URI;

/** A receiver of alerts: where to post, and the JSON body it expects. */
interface AlertChannel {
    /** The channel's name in messages ("slack"); never its URL, which is a secret. */
    String name();

    URI uri();

    byte[] body(Alert alert);
}
