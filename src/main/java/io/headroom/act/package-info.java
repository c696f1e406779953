/**
 * Actuation: the single libvirt gateway and the actuators that apply (or only record) decisions.
 * The only package that calls libvirt; blocking calls run on a named worker pool.
 */
package io.headroom.act;
