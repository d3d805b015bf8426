package com.learncoin.gateway.verification;

import com.learncoin.gateway.credential.StatusListCredentials;
import com.learncoin.gateway.lifecycle.CredentialStore;
import com.learncoin.gateway.statuslist.StatusLists;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The status check: the revocation bit, for credentials whose status list is ours (read from the
 * database); other lists are skipped.
 */
final class StatusCheck {
  private static final Pattern LIST_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");

  private final Pool pool;
  private final CredentialStore credentials;
  private final Supplier<String> publicBaseUrl;

  StatusCheck(Pool pool, CredentialStore credentials, Supplier<String> publicBaseUrl) {
    this.pool = pool;
    this.credentials = credentials;
    this.publicBaseUrl = publicBaseUrl;
  }

  Future<VerifyCheck> run(JsonObject credential) {
    Object value = credential.getValue("credentialStatus");
    if (value == null) {
      return done(VerifyCheck.skipped("the credential has no credentialStatus"));
    }
    List<?> entries = value instanceof JsonArray array ? array.getList() : List.of(value);
    String ourListPrefix = publicBaseUrl.get() + "/status/";
    JsonObject ours = null;
    for (Object entry : entries) {
      if (!(entry instanceof JsonObject object)) {
        return done(VerifyCheck.failed("credentialStatus must be an object or an array of objects"));
      }
      if (object.getValue("statusListCredential") instanceof String url
          && url.startsWith(ourListPrefix)) {
        ours = ours == null ? object : ours;
      }
    }
    if (ours == null) {
      return done(VerifyCheck.skipped("not our status list: only lists under "
          + ourListPrefix + " are checked"));
    }
    String url = ours.getString("statusListCredential");
    String listId = url.substring(ourListPrefix.length());
    if (!LIST_ID.matcher(listId).matches()) {
      return done(VerifyCheck.failed("no status list " + url + " at this gateway"));
    }
    if (!"revocation".equals(ours.getValue("statusPurpose"))) {
      return done(VerifyCheck.failed("statusPurpose must be revocation, not "
          + ours.getValue("statusPurpose")));
    }
    Object rawIndex = ours.getValue("statusListIndex");
    int index = index(rawIndex);
    if (index < 0 || index >= StatusListCredentials.SIZE) {
      return done(VerifyCheck.failed("statusListIndex must be an integer from 0 to "
          + (StatusListCredentials.SIZE - 1) + ", not " + rawIndex));
    }
    return StatusLists.exists(pool, listId).compose(exists -> !exists
        ? done(VerifyCheck.failed("no status list " + url + " at this gateway"))
        : credentials.isRevoked(listId, index).map(revoked -> revoked
            ? VerifyCheck.failed("revoked: bit " + index + " of " + url + " is set")
            : VerifyCheck.passed("bit " + index + " of " + url + " is not set: not revoked")));
  }

  private static int index(Object raw) {
    try {
      return Integer.parseInt(String.valueOf(raw));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static Future<VerifyCheck> done(VerifyCheck check) {
    return Future.succeededFuture(check);
  }
}
