/**
 * {@link dev.stamp.test.autoconfigure.AutoConfigureStampClients}: test clients pointed at
 * the listeners of the application under test.
 */
@NullMarked
package dev.stamp.test.autoconfigure;

import org.jspecify.annotations.NullMarked;
