/**
 * The event journal on Chronicle Queue: append and sync, readers from any SeqNum, read-ahead, the free-disk guard,
 * retention status and the offline archiving of old cycle files.
 */
package io.ordergw.engine.journal;
