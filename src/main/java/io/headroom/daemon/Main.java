package io.headroom.daemon;
public final class Main { public static void main(String[] a) {} }
