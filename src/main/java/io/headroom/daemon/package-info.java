/**
 * Daemon: the command line, and the Vert.x verticles that wire the stages on timers.
 * The only package that depends on all others.
 */
package io.headroom.daemon;
