package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.List;

import com.networknt.schema.Error;

/**
 * The validator's error list, keeping only the first {@code max} errors: a large document that is wrong
 * everywhere would otherwise hold one error object per bad value. {@link #size()} still counts every error,
 * because the validator compares sizes before and after a subschema to learn whether it failed.
 */
final class HifErrorList extends AbstractList<Error> {

    private final int max;
    private final List<Error> kept = new ArrayList<>();
    private long count;

    HifErrorList(int max) {
        this.max = max;
    }

    @Override
    public boolean add(Error error) {
        count++;
        if (kept.size() < max) {
            kept.add(error);
        }
        return true;
    }

    @Override
    public Error get(int index) {
        return kept.get(index);
    }

    @Override
    public java.util.Iterator<Error> iterator() {
        return kept.iterator();
    }

    @Override
    public int size() {
        return (int) Math.min(Integer.MAX_VALUE, count);
    }

    /** @return the errors kept, in the order found */
    List<Error> kept() {
        return kept;
    }

    /** @return how many errors there were */
    long count() {
        return count;
    }
}
