-- GET one page over and over (wrk -s get.lua URL).
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
require("common")
