package io.ordergw.engine.book;

/**
 * An intrusive doubly-linked list of orders over one of {@link OrderRecord}'s link slots. A record is in at most one
 * list per slot.
 */
final class OrderList
{
    private final int link;
    private OrderRecord head;
    private OrderRecord tail;
    private int size;

    OrderList(final int link)
    {
        this.link = link;
    }

    void addLast(final OrderRecord record)
    {
        record.prev(link, tail);
        record.next(link, null);
        if (tail == null)
        {
            head = record;
        }
        else
        {
            tail.next(link, record);
        }
        tail = record;
        size++;
    }

    void remove(final OrderRecord record)
    {
        final OrderRecord p = record.prev(link);
        final OrderRecord n = record.next(link);
        if (p == null)
        {
            head = n;
        }
        else
        {
            p.next(link, n);
        }
        if (n == null)
        {
            tail = p;
        }
        else
        {
            n.prev(link, p);
        }
        record.prev(link, null);
        record.next(link, null);
        size--;
    }

    void moveToLast(final OrderRecord record)
    {
        if (tail != record)
        {
            remove(record);
            addLast(record);
        }
    }

    OrderRecord head()
    {
        return head;
    }

    OrderRecord tail()
    {
        return tail;
    }

    OrderRecord next(final OrderRecord record)
    {
        return record.next(link);
    }

    OrderRecord prev(final OrderRecord record)
    {
        return record.prev(link);
    }

    int size()
    {
        return size;
    }

    boolean isEmpty()
    {
        return size == 0;
    }
}
