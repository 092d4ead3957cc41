-- POST a form with a CSRF token, as a browser that has the form open does:
-- the csrftoken cookie and the token come from one GET of the form (the
-- harness does it), and every request varies the text by a counter so that no
-- two submissions are the same complaint.
--   BENCH_BODY    the urlencoded body; "{n}" is replaced by a number unique to
--                 the request (thread id and counter)
--   BENCH_REFERER the form's HTTPS address (Django checks it on HTTPS)
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Referer"] = os.getenv("BENCH_REFERER")
wrk.headers["Origin"] = os.getenv("BENCH_ORIGIN")
local template = os.getenv("BENCH_BODY")

local threads = 0
function setup(thread)
  threads = threads + 1
  thread:set("tid", threads)
end

local counter = 0
function request()
  counter = counter + 1
  local body = string.gsub(template, "{n}", string.format("%d-%d", tid or 0, counter))
  return wrk.format(nil, nil, nil, body)
end
