package com.learncoin.gateway.verification;

import com.learncoin.gateway.credential.StatusListCredentials;
import com.learncoin.gateway.lifecycle.CredentialStore;
import com.learncoin.gateway.statuslist.StatusLists;
import com.learncoin.gateway.verification.SignedClaims.StatusEntry;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * The status check: the revocation bit, for credentials whose status list is ours (read from the
 * database); other lists are skipped. Entries come from the signed statements ({@link
 * SignedClaims}); every entry on one of our lists is checked, and any set bit fails.
 */
final class StatusCheck {
  private static final Pattern LIST_ID = Pattern.compile("[A-Za-z0-9_-]{1,100}");
  /** Each entry on our lists costs two queries; we issue one per credential. */
  private static final int MAX_OUR_ENTRIES = 8;

  private final Pool pool;
  private final CredentialStore credentials;
  private final Supplier<String> publicBaseUrl;

  StatusCheck(Pool pool, CredentialStore credentials, Supplier<String> publicBaseUrl) {
    this.pool = pool;
    this.credentials = credentials;
    this.publicBaseUrl = publicBaseUrl;
  }

  Future<VerifyCheck> run(SignedClaims claims) {
    if (claims.problem() != null) {
      return done(VerifyCheck.failed(claims.problem()));
    }
    if (claims.statuses().isEmpty()) {
      return done(VerifyCheck.skipped("the credential has no credentialStatus"));
    }
    String ourListPrefix = publicBaseUrl.get() + "/status/";
    for (StatusEntry entry : claims.statuses()) {
      if (entry.problem() != null) {
        return done(VerifyCheck.failed(entry.problem()));
      }
    }
    List<StatusEntry> ours = claims.statuses().stream()
        .filter(e -> e.listUrl() != null && e.listUrl().startsWith(ourListPrefix)).toList();
    if (ours.isEmpty()) {
      return done(VerifyCheck.skipped("not our status list: only lists under "
          + ourListPrefix + " are checked"));
    }
    if (ours.size() > MAX_OUR_ENTRIES) {
      return done(VerifyCheck.failed(ours.size() + " credentialStatus entries name our status "
          + "lists; at most " + MAX_OUR_ENTRIES + " are checked"));
    }
    List<Future<VerifyCheck>> checks = ours.stream()
        .map(entry -> check(entry, entry.listUrl().substring(ourListPrefix.length()))).toList();
    return Future.all(checks).map(all -> checks.stream().map(Future::result)
        .filter(c -> VerifyCheck.FAILED.equals(c.status())).findFirst()
        .orElse(checks.get(0).result()));
  }

  private Future<VerifyCheck> check(StatusEntry entry, String listId) {
    String url = entry.listUrl();
    if (!LIST_ID.matcher(listId).matches()) {
      return done(VerifyCheck.failed("no status list " + url + " at this gateway"));
    }
    if (!"revocation".equals(entry.purpose())) {
      return done(VerifyCheck.failed("statusPurpose must be revocation, not "
          + entry.purpose()));
    }
    int index = index(entry.index());
    if (index < 0 || index >= StatusListCredentials.SIZE) {
      return done(VerifyCheck.failed("statusListIndex must be an integer from 0 to "
          + (StatusListCredentials.SIZE - 1) + ", not " + entry.index()));
    }
    return StatusLists.exists(pool, listId).compose(exists -> !exists
        ? done(VerifyCheck.failed("no status list " + url + " at this gateway"))
        : credentials.isRevoked(listId, index).map(revoked -> revoked
            ? VerifyCheck.failed("revoked: bit " + index + " of " + url + " is set")
            : VerifyCheck.passed("bit " + index + " of " + url + " is not set: not revoked")));
  }

  private static int index(String raw) {
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
