package com.learncoin.gateway.anchoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Sign;

/**
 * The local chain wallet: a secp256k1 private key kept in a file of the data directory, used when
 * no KMS key is configured (the default run, tests, and test keys on Base Sepolia).
 */
public final class Wallets {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final HexFormat HEX = HexFormat.of();

  private Wallets() {}

  /**
   * The key stored in {@code keyFile}, generated on first use. Blocking (file I/O).
   *
   * <p>The file is written in full under a temporary name created with mode 0600 (so the key is
   * never readable by others, whatever the umask) and then hard-linked into place, which fails
   * rather than overwrites: when two processes race, both end up with the winner's key, and a
   * crash never leaves a half-written key behind under the real name.
   */
  public static Credentials loadOrCreate(Path keyFile) {
    try {
      if (!Files.exists(keyFile)) {
        create(keyFile.toAbsolutePath());
      }
      return load(keyFile);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the wallet key " + keyFile, e);
    }
  }

  private static Credentials load(Path keyFile) throws IOException {
    String text = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
    String digits = text.startsWith("0x") ? text.substring(2) : text;
    if (digits.length() != 64) {
      throw new IllegalStateException(
          "the wallet key " + keyFile + " is not 64 hex digits (a secp256k1 private key)");
    }
    BigInteger key = new BigInteger(1, HEX.parseHex(digits));
    if (!isValidKey(key)) {
      throw new IllegalStateException("the wallet key " + keyFile + " is out of secp256k1's range");
    }
    return Credentials.create(ECKeyPair.create(key));
  }

  private static void create(Path keyFile) throws IOException {
    Path dir = keyFile.getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".wallet-", ".tmp",
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      byte[] text = (HEX.formatHex(newKey()) + "\n").getBytes(StandardCharsets.US_ASCII);
      try (FileChannel out = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        out.write(ByteBuffer.wrap(text));
        out.force(true);
      }
      try {
        Files.createLink(keyFile, temp);
      } catch (FileAlreadyExistsException raced) {
        return; // another process created it first; its key is the wallet
      } catch (UnsupportedOperationException | FileSystemException noHardLinks) {
        Files.move(temp, keyFile); // refuses to replace an existing file, though not atomically
      }
      syncDirectory(dir);
    } finally {
      Files.deleteIfExists(temp);
    }
  }

  /** A uniformly random private key in [1, n-1], from the platform's CSPRNG. */
  private static byte[] newKey() {
    byte[] key = new byte[32];
    do {
      RANDOM.nextBytes(key);
    } while (!isValidKey(new BigInteger(1, key)));
    return key;
  }

  private static boolean isValidKey(BigInteger key) {
    return key.signum() > 0 && key.compareTo(Sign.CURVE_PARAMS.getN()) < 0;
  }

  /** Makes the new directory entry durable: losing a funded key after a power cut loses funds. */
  private static void syncDirectory(Path dir) {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UnsupportedOperationException notSupported) {
      // Some platforms cannot open directories; the key file itself is already on disk.
    }
  }
}
