package io.kadtorrent.dht.routing;

/** BEP 5 node states, derived from when a node last replied and how many queries it failed. */
public enum NodeState {
    /** Replied within 15 minutes, or ever replied and queried us within 15 minutes. */
    GOOD,
    /** Not heard from for 15 minutes, or never verified by a reply. */
    QUESTIONABLE,
    /** Failed several queries in a row: first to be replaced. */
    BAD
}
