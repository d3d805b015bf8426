package com.learncoin.gateway.idempotency;

import java.util.Arrays;

/** What makes two requests "the same" for an idempotency key: method, path and body hash. */
record Fingerprint(String method, String path, byte[] bodySha256) {
  boolean matches(Fingerprint other) {
    return method.equals(other.method) && path.equals(other.path)
        && Arrays.equals(bodySha256, other.bodySha256);
  }
}
