package com.learncoin.gateway.anchoring;

import java.util.List;

/** What a node's refusal of eth_sendRawTransaction means, by its (lower-cased) message. */
final class NodeRefusals {
  /** Node answers that mean "this very transaction is already in my pool". */
  private static final List<String> ALREADY_KNOWN =
      List.of("already known", "already imported", "known transaction", "already exists");

  /**
   * Node answers after which this signed transaction can never be mined (checked only once the
   * transaction is known not to be on chain or pending under its own hash).
   */
  private static final List<String> NEVER_MINABLE = List.of("nonce too low",
      "invalid signature", "invalid sender", "intrinsic gas too low", "exceeds block gas limit",
      "invalid chain id", "incorrect chain id", "transaction type not supported", "oversized data");

  /** Node answers about fees: under the base fee, or a replacement that does not outbid enough. */
  private static final List<String> UNDERPRICED = List.of("less than block base fee",
      "underpriced", "fee too low", "max fee per gas less than");

  private NodeRefusals() {}

  static boolean alreadyKnown(String message) {
    return ALREADY_KNOWN.stream().anyMatch(message::contains);
  }

  static boolean neverMinable(String message) {
    return NEVER_MINABLE.stream().anyMatch(message::contains);
  }

  static boolean underpriced(String message) {
    return UNDERPRICED.stream().anyMatch(message::contains);
  }
}
