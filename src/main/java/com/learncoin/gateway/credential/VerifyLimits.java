package com.learncoin.gateway.credential;

import com.apicatalog.rdf.canon.RdfCanonTicker;

/**
 * Bounds on verifying a document from outside. RDFC-1.0 is exponential in blank nodes that differ
 * only by their links to each other (a clique of 9 under credentialSubject: minutes of CPU), so
 * a verification counts its statements and blank nodes before canonicalizing, then counts the
 * canonicalization's steps (titanium-rdfc's ticker, called in every loop of the algorithm,
 * permutations included) and stops it at a step budget or a deadline, whichever comes first.
 * Signing never takes these bounds: what we sign we built ourselves.
 *
 * @param maxSteps ticker calls per verification; documents without such blank-node puzzles take
 *     about 1.2 per statement
 */
public record VerifyLimits(int maxBlankNodes, int maxQuads, long maxSteps, long timeoutMillis) {
  /** No bounds (tests, and tools that verify what they made themselves). */
  public static final VerifyLimits NONE =
      new VerifyLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE);

  /** Too many statements or blank nodes in {@code what} (a JSON path such as "credential"). */
  void checkSize(String what, RdfStatements statements) {
    if (statements.size() > maxQuads) {
      throw new VerifyLimitException(what + " has " + statements.size()
          + " RDF statements; at most " + maxQuads + " are verified");
    }
    int blankNodes = statements.blankNodes();
    if (blankNodes > maxBlankNodes) {
      throw new VerifyLimitException(what + " has " + blankNodes + " blank nodes; at most "
          + maxBlankNodes + " are verified");
    }
  }

  /** The step budget and deadline of one verification, starting now. */
  Budget start() {
    return new Budget(this);
  }

  /** Shared by the canonicalizations of one verification (document, then proof options). */
  static final class Budget implements RdfCanonTicker {
    private final VerifyLimits limits;
    private final long started = System.nanoTime();
    private final long timeoutNanos;
    private long steps;
    private String what = "credential";

    private Budget(VerifyLimits limits) {
      this.limits = limits;
      this.timeoutNanos = limits.timeoutMillis >= Long.MAX_VALUE / 1_000_000 ? Long.MAX_VALUE
          : limits.timeoutMillis * 1_000_000;
    }

    /** What the following steps canonicalize, for the message. */
    Budget on(String what) {
      this.what = what;
      return this;
    }

    @Override
    public void tick() {
      if (++steps > limits.maxSteps) {
        throw new VerifyLimitException(what + " needs more than " + limits.maxSteps
            + " steps of RDFC-1.0 canonicalization (blank nodes told apart only by their links "
            + "to each other); at most " + limits.maxSteps + " are verified");
      }
      checkDeadline();
    }

    void checkSize(RdfStatements statements) {
      limits.checkSize(what, statements);
    }

    /** Also between the phases: JSON-LD expansion has no ticker. */
    void checkDeadline() {
      if (System.nanoTime() - started > timeoutNanos) {
        throw new VerifyLimitException(what + " could not be verified within "
            + limits.timeoutMillis + " ms; verification stops there");
      }
    }
  }
}
