/** Module root. */
package io.kadtorrent.examples;
