package io.ordergw.engine.state;

import io.ordergw.codec.sbe.OrderState;

/**
 * The legal explicit moves between order states (api.md section 5): none -> Working or Rejected; Working -> Working,
 * Canceled, Expired or FullyExecuted; nothing leaves a terminal state. GetOrderStateTransitions answers from here.
 */
public final class OrderTransitions
{
    private static final OrderState[] FROM_NONE = {OrderState.Working, OrderState.Rejected};
    private static final OrderState[] FROM_WORKING =
        {OrderState.Working, OrderState.Canceled, OrderState.Expired, OrderState.FullyExecuted};
    private static final OrderState[] NONE = {};

    private OrderTransitions()
    {
    }

    /**
     * The states an order may move to.
     *
     * @param from the current state; {@link OrderState#Unknown} for an order the book does not hold.
     * @return the legal next states (a shared array: do not modify).
     */
    public static OrderState[] next(final OrderState from)
    {
        switch (from)
        {
            case Unknown:
                return FROM_NONE;
            case Working:
                return FROM_WORKING;
            default:
                return NONE;
        }
    }

    /**
     * Whether a move is legal.
     *
     * @param from the current state ({@link OrderState#Unknown} for none).
     * @param to   the requested state.
     * @return true if legal.
     */
    public static boolean isLegal(final OrderState from, final OrderState to)
    {
        for (final OrderState state : next(from))
        {
            if (state == to)
            {
                return true;
            }
        }
        return false;
    }
}
