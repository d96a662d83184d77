/**
 * The sample's web pages: the browser chat page, the about page and their stylesheet.
 */
package dev.stamp.sample.web;
