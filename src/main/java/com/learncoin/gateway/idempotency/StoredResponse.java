package com.learncoin.gateway.idempotency;

import io.vertx.core.buffer.Buffer;
import java.time.Instant;

/** A finished response kept for replay, with the request that produced it. */
record StoredResponse(
    Fingerprint fingerprint,
    int status,
    String contentType,
    String location,
    Buffer body,
    String requestId,
    Instant createdAt) {}
