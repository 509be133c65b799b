package org.quantsupervision.cli;

/** Entry point of the launcher (/usr/bin/quant-supervision). */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(QuantSupervision.forArguments(args).execute(args));
    }
}
