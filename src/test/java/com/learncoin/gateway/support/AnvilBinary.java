package com.learncoin.gateway.support;

import com.learncoin.gateway.anchoring.LocalChainNode;
import java.nio.file.Path;

/** The anvil binary of the tests: chain tests never skip, they fail saying what to install. */
public final class AnvilBinary {
  private AnvilBinary() {}

  public static Path require() {
    return LocalChainNode.findBinary().orElseThrow(() -> new IllegalStateException(
        "anvil is missing: run npm ci in the project directory (it installs the pinned "
            + "node_modules/@foundry-rs/anvil-linux-amd64/bin/anvil) or set LEARNCOIN_ANVIL_BIN"));
  }
}
