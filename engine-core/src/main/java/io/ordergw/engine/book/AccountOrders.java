package io.ordergw.engine.book;

/**
 * The orders of one account: all it holds (for history) and the open ones, each in the order of their latest event.
 */
final class AccountOrders
{
    int accountId;
    final OrderList all = new OrderList(OrderRecord.LINK_ACCOUNT);
    final OrderList open = new OrderList(OrderRecord.LINK_OPEN_OR_RETIRING);
}
