package io.kadtorrent.engine.swarm;

import io.kadtorrent.torrent.metainfo.InfoHash;

import java.net.Inet4Address;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * The BEP 6 canonical allowed-fast set: the pieces a peer at a given IPv4 address may request from us
 * while we choke it. Every peer computes the same set for the same /24 and torrent, so peers behind one
 * NAT cannot collect more than one set between them.
 *
 * <pre>
 *  x = (ip &amp; 0xFFFFFF00) as 4 bytes ++ info_hash
 *  while fewer than k pieces:
 *      x = SHA-1(x)
 *      for each of the five 4-byte words y of x (big-endian), while fewer than k:
 *          piece = y mod pieceCount; add it unless already in the set
 * </pre>
 */
final class AllowedFastSet {

    private AllowedFastSet() {
    }

    /** The first {@code k} pieces of the set (all of them when the torrent has no more than {@code k}). */
    static List<Integer> of(Inet4Address peer, InfoHash infoHash, int pieceCount, int k) {
        if (pieceCount < 1 || k < 0) {
            throw new IllegalArgumentException("pieceCount must be >= 1 and k >= 0");
        }
        int wanted = Math.min(k, pieceCount); // BEP 6 would loop forever otherwise
        byte[] ip = peer.getAddress();
        byte[] x = new byte[4 + InfoHash.LENGTH];
        System.arraycopy(ip, 0, x, 0, 3); // the /24: the last byte stays zero
        System.arraycopy(infoHash.bytes(), 0, x, 4, InfoHash.LENGTH);
        MessageDigest sha1 = sha1();
        List<Integer> set = new ArrayList<>(wanted);
        while (set.size() < wanted) {
            x = sha1.digest(x);
            for (int i = 0; i < 5 && set.size() < wanted; i++) {
                long y = ((x[4 * i] & 0xFFL) << 24) | ((x[4 * i + 1] & 0xFF) << 16) | ((x[4 * i + 2] & 0xFF) << 8)
                        | (x[4 * i + 3] & 0xFF);
                int piece = (int) (y % pieceCount);
                if (!set.contains(piece)) {
                    set.add(piece);
                }
            }
        }
        return List.copyOf(set);
    }

    private static MessageDigest sha1() {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-1", e);
        }
    }
}
