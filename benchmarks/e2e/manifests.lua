-- wrk script: cycles through the manifest URLs /v2/<repo>/manifests/t00000 .. t<N-1>, with the
-- same Accept list and Basic auth header the clients send.
--   wrk -t2 -c16 -d10s -s manifests.lua http://127.0.0.1:PORT -- <repo> <N> [method] [R]
-- With R, there are R repositories <repo>000 .. <repo>R-1 (three digits) of N tags each, and the
-- script cycles through all R x N manifests, the next request going to the next repository.
-- The Authorization header comes from $E2E_AUTHORIZATION, so the password stays out of `ps`.
--
-- Method defaults to GET: wrk 4.1 cannot do HEAD against a server that sends Content-Length on
-- HEAD (its parser then waits for a body that never comes; wg/wrk#198), and distribution does.
-- distribution 2.8 does the same work for GET and HEAD of a manifest (it reads the manifest and
-- the Go server drops the body for HEAD), so GET is the same server cost plus ~0.5 KB of body.

local repo, count, method, repos, next_index
local headers = {
  ["Accept"] = "application/vnd.oci.image.index.v1+json, application/vnd.oci.image.manifest.v1+json, "
    .. "application/vnd.docker.distribution.manifest.list.v2+json, "
    .. "application/vnd.docker.distribution.manifest.v2+json",
  ["Authorization"] = os.getenv("E2E_AUTHORIZATION"),
}

-- Each wrk thread has its own Lua state; start the threads at different tags.
local thread_number = 0
function setup(thread)
  thread:set("thread_number", thread_number)
  thread_number = thread_number + 1
end

function init(args)
  repo = args[1]
  count = tonumber(args[2])
  method = args[3] or "GET"
  repos = tonumber(args[4] or "0")
  next_index = ((thread_number or 0) * 7919) % (count * math.max(repos, 1))
end

function request()
  local path
  if repos > 0 then
    path = string.format("/v2/%s%03d/manifests/t%05d", repo, next_index % repos,
      math.floor(next_index / repos))
    next_index = (next_index + 1) % (count * repos)
  else
    path = string.format("/v2/%s/manifests/t%05d", repo, next_index)
    next_index = (next_index + 1) % count
  end
  return wrk.format(method, path, headers)
end
