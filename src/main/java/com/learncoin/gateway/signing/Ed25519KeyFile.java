package com.learncoin.gateway.signing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The on-disk form of the local signing key: the 32-byte Ed25519 seed as 64 hex characters and a
 * newline, mode 0600. Hex rather than raw bytes so an operator can back it up with copy and paste.
 */
final class Ed25519KeyFile {
  private static final Logger LOG = LoggerFactory.getLogger(Ed25519KeyFile.class);
  private static final int SEED_SIZE = 32;
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private Ed25519KeyFile() {}

  static byte[] loadOrCreate(Path file, Supplier<byte[]> newSeed) {
    try {
      if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
        return load(file);
      }
      return create(file, newSeed.get());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read or create the key file " + file, e);
    }
  }

  private static byte[] load(Path file) throws IOException {
    warnIfReadableByOthers(file);
    // A key file is 65 bytes; refusing anything much larger avoids reading an arbitrary file whole.
    if (Files.size(file) > 4 * SEED_SIZE) {
      throw corrupt(file);
    }
    byte[] text = Files.readAllBytes(file);
    try {
      return decodeHex(file, text);
    } finally {
      Arrays.fill(text, (byte) 0);
    }
  }

  /**
   * Writes to a private temporary file first and then hard-links it into place: the key file
   * appears complete or not at all (no half-written key after a crash), is never readable by others
   * even briefly, and a second process starting at the same moment cannot overwrite it.
   */
  private static byte[] create(Path file, byte[] seed) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path temp = Files.createTempFile(dir, ".signing-key-", ".tmp",
        PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    byte[] text = encodeHex(seed);
    try {
      try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(text));
        channel.force(true);
      }
      Files.createLink(file, temp);
      LOG.info("Generated a new key in {}", file);
      return seed;
    } catch (FileAlreadyExistsException raced) {
      return load(file);
    } finally {
      Arrays.fill(text, (byte) 0);
      Files.deleteIfExists(temp);
    }
  }

  private static void warnIfReadableByOthers(Path file) throws IOException {
    Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
    if (!OWNER_ONLY.containsAll(permissions)) {
      LOG.warn("The signing key file {} is accessible to other users ({}); chmod 600 it",
          file, PosixFilePermissions.toString(permissions));
    }
  }

  private static byte[] decodeHex(Path file, byte[] text) {
    int length = text.length;
    while (length > 0 && Character.isWhitespace(text[length - 1])) {
      length--;
    }
    if (length != 2 * SEED_SIZE) {
      throw corrupt(file);
    }
    byte[] seed = new byte[SEED_SIZE];
    for (int i = 0; i < SEED_SIZE; i++) {
      int high = Character.digit(text[2 * i], 16);
      int low = Character.digit(text[2 * i + 1], 16);
      if (high < 0 || low < 0) {
        Arrays.fill(seed, (byte) 0);
        throw corrupt(file);
      }
      seed[i] = (byte) (high << 4 | low);
    }
    return seed;
  }

  private static byte[] encodeHex(byte[] seed) {
    byte[] text = new byte[2 * seed.length + 1];
    for (int i = 0; i < seed.length; i++) {
      text[2 * i] = (byte) Character.forDigit((seed[i] >> 4) & 0xf, 16);
      text[2 * i + 1] = (byte) Character.forDigit(seed[i] & 0xf, 16);
    }
    text[text.length - 1] = '\n';
    return text;
  }

  // The message names the file but never echoes its content: it may be most of a valid key.
  private static IllegalStateException corrupt(Path file) {
    return new IllegalStateException("The signing key file " + file + " is corrupt: expected the"
        + " 32-byte Ed25519 seed as 64 hex characters. Restore it from a backup; deleting it makes"
        + " the gateway generate a new key, and credentials signed with the old one stop verifying"
        + " against the new public key.");
  }
}
