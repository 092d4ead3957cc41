"""The harness's own safety net: the CSP and page-error check must really catch things."""

import pytest


@pytest.mark.browser
def test_browser_log_catches_csp_violations_and_script_errors(page, phase, browser_log):
    page.goto("/")
    browser_log.assert_clean()

    # What a careless template change would do: inline style, inline script, a throwing script.
    page.evaluate(
        """() => {
          const box = document.createElement("div");
          box.innerHTML = '<p style="color: red">inline style</p>';
          document.body.append(box);
          const script = document.createElement("script");
          script.textContent = "window.inlineScriptRan = true";
          document.body.append(script);
          setTimeout(() => { throw new Error("boom from the page"); }, 0);
        }"""
    )
    for _ in range(20):  # let the violation events and the timer fire
        if browser_log.page_errors and len(browser_log.csp_violations()) >= 2:
            break
        page.wait_for_timeout(100)

    assert page.evaluate("() => window.inlineScriptRan === undefined"), "CSP let an inline script run"
    with pytest.raises(AssertionError) as caught:
        browser_log.assert_clean()
    message = str(caught.value)
    assert "style-src" in message
    assert "script-src" in message
    assert "boom from the page" in message

    # Leave a clean log behind, or the page fixture's teardown check fails this test.
    browser_log.console.clear()
    browser_log.page_errors.clear()
