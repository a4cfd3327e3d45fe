/** Module root. */
package io.kadtorrent.dht;
