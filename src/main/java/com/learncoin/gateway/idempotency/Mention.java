package com.learncoin.gateway.idempotency;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlConnection;
import java.util.function.Function;

/**
 * An answer that shows a credential's personal data (a revoke's): the credential's id, and the
 * check, run in the transaction that stores the answer, that locks the credential's row and tells
 * whether it may still be shown (false once erased). Routes leave it under
 * {@link com.learncoin.gateway.http.Ctx#ANSWER_MENTIONS}.
 */
public record Mention(String credentialId, Function<SqlConnection, Future<Boolean>> lockShown) {}
