package com.learncoin.gateway.issuance;

import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.signing.Signer;
import io.vertx.sqlclient.Pool;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * What the issuance worker needs: storage, the signer and proofs, the networks, settings. The
 * public base URL is read when used: with port 0 it names the port the HTTP servers were given.
 */
public record Issuance(
    Pool pool,
    Signer signer,
    DependencyBreaker signerBreaker,
    DataIntegrityProofs proofs,
    Networks networks,
    ExecutorService signingThreads,
    Supplier<String> publicBaseUrl,
    int confirmations) {

  /** The event-bus address intake uses to wake the worker when a batch is queued. */
  public static final String WAKE = "learncoin.issuance.wake";
}
