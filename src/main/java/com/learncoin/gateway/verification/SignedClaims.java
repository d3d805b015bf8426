package com.learncoin.gateway.verification;

import com.learncoin.gateway.credential.DataIntegrityProofs;
import com.learncoin.gateway.credential.RdfStatements;
import com.learncoin.gateway.credential.RdfStatements.Quad;
import com.learncoin.gateway.credential.VerifyLimitException;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * What a credential's signed statements say about its status and validity. The proof covers the
 * RDF, not the JSON keys: "credentialStatus", its full IRI and an alias from an inline context all
 * give the same statements, so the checks read these, never the raw JSON. Every credential node
 * (type VerifiableCredential, default graph) counts, and every value: a check takes the strictest.
 */
final class SignedClaims {
  private static final String CRED = "https://www.w3.org/2018/credentials#";
  private static final String STATUS = "https://www.w3.org/ns/credentials/status#";
  private static final String RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type";

  /** A date statement: the term's name (validFrom, ...) and its lexical value. */
  record Dated(String field, String value) {}

  /** A credentialStatus node; {@code problem} is set when a value is missing twice or a literal. */
  record StatusEntry(String listUrl, String purpose, String index, String problem) {}

  private final String problem;
  private final List<StatusEntry> statuses;
  private final List<Dated> validFrom;
  private final List<Dated> validUntil;

  private SignedClaims(String problem, List<StatusEntry> statuses, List<Dated> validFrom,
      List<Dated> validUntil) {
    this.problem = problem;
    this.statuses = statuses;
    this.validFrom = validFrom;
    this.validUntil = validUntil;
  }

  /**
   * Blocking (JSON-LD processing): call it on a worker.
   *
   * @throws VerifyLimitException past the statement or blank-node bound
   */
  static SignedClaims read(DataIntegrityProofs proofs, JsonObject credential) {
    RdfStatements statements;
    try {
      statements = proofs.statements(credential);
    } catch (VerifyLimitException e) {
      throw e;
    } catch (RuntimeException e) {
      return unreadable("the credential is not JSON-LD this gateway can read (contexts are "
          + "bundled, never fetched): " + e.getMessage());
    }
    List<String> nodes = statements.subjects(RDF_TYPE, CRED + "VerifiableCredential");
    if (nodes.isEmpty()) {
      return unreadable("the credential has no node of type VerifiableCredential");
    }
    List<StatusEntry> statuses = new ArrayList<>();
    List<Dated> from = new ArrayList<>();
    List<Dated> until = new ArrayList<>();
    for (String node : nodes) {
      for (Quad status : statements.objects(node, CRED + "credentialStatus")) {
        statuses.add(status.literal()
            ? new StatusEntry(null, null, null, "credentialStatus must be a status entry, not "
                + "the value " + status.object())
            : entry(statements, status.object()));
      }
      dates(statements, node, "validFrom", from);
      dates(statements, node, "issuanceDate", from);
      dates(statements, node, "validUntil", until);
      dates(statements, node, "expirationDate", until);
    }
    return new SignedClaims(null, statuses, from, until);
  }

  private static SignedClaims unreadable(String problem) {
    return new SignedClaims(problem, List.of(), List.of(), List.of());
  }

  private static StatusEntry entry(RdfStatements statements, String node) {
    List<Quad> lists = statements.objects(node, STATUS + "statusListCredential");
    List<Quad> purposes = statements.objects(node, STATUS + "statusPurpose");
    List<Quad> indexes = statements.objects(node, STATUS + "statusListIndex");
    String problem = lists.size() > 1 || purposes.size() > 1 || indexes.size() > 1
        ? "a credentialStatus entry has more than one statusListCredential, statusPurpose or "
            + "statusListIndex" : null;
    return new StatusEntry(lists.isEmpty() ? null : lists.get(0).object(),
        purposes.isEmpty() ? null : purposes.get(0).object(),
        indexes.isEmpty() ? null : indexes.get(0).object(), problem);
  }

  private static void dates(RdfStatements statements, String node, String field,
      List<Dated> into) {
    for (Quad quad : statements.objects(node, CRED + field)) {
      into.add(new Dated(field, quad.object()));
    }
  }

  /** Why the statements could not be read (the checks fail with it), or null. */
  String problem() {
    return problem;
  }

  List<StatusEntry> statuses() {
    return statuses;
  }

  /** validFrom and issuanceDate values. */
  List<Dated> validFrom() {
    return validFrom;
  }

  /** validUntil and expirationDate values. */
  List<Dated> validUntil() {
    return validUntil;
  }
}
