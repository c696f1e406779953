package io.headroom.notify;

/** A webhook body that is not Alertmanager's webhook format version 4; the message says where and why. */
final class InvalidPayloadException extends Exception {

    InvalidPayloadException(String message) {
        super(message);
    }
}
