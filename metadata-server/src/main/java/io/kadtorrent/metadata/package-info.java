/** Module root. */
package io.kadtorrent.metadata;
