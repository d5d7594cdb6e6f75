-- wrk script for bench/register.sh: POST /api/v1/documents/incoming as multipart, a
-- 100 KB scanned PDF each, every document different (its number, and ten bytes inside
-- the PDF's content stream, so the content-addressed blob store stores every file:
-- no deduplication flatters the figures). Env: BENCH_TOKEN, BENCH_REGISTER,
-- BENCH_PDF (path of the template PDF, with the marker %NNNNNNNNNN in its stream),
-- BENCH_BAD=1 (a register that does not exist: parsed, checked, refused, nothing written).
local token = os.getenv("BENCH_TOKEN")
local register = os.getenv("BENCH_REGISTER")
local bad = os.getenv("BENCH_BAD") == "1"
local f = assert(io.open(os.getenv("BENCH_PDF"), "rb"))
local pdf = f:read("*a")
f:close()
local mark = assert(pdf:find("%NNNNNNNNNN", 1, true))
local pdf_head, pdf_tail = pdf:sub(1, mark), pdf:sub(mark + 11)
local boundary = "qlvbbench7MA4YWxkTrZu0gW"
local counter = 0
local threads = {}

function setup(thread) -- runs in the main state: each thread gets its own global number
    thread:set("thread_no", #threads + 1)
    table.insert(threads, thread)
end

function request()
    counter = counter + 1
    -- 7 digits at most (standards.md §2): thread × 1 000 000 + counter
    local n = (tonumber(thread_no) or 1) * 1000000 + counter
    local meta = string.format('{"register_id":%s,"issuer_name":"Sở Tài chính","number":"%d",' ..
        '"symbol":"STC-NS","issued_date":"%s","doc_type":"cong_van","subject":"Về việc rà soát ' ..
        'dự toán ngân sách năm 2027 (văn bản đo tải số %d)","urgency":"thuong","page_count":1}',
        bad and "999999999" or register, n, os.date("!%Y-%m-%d", os.time() + 7 * 3600 - 86400), n)
    local body = "--" .. boundary .. "\r\nContent-Disposition: form-data; name=\"metadata\"\r\n" ..
        "Content-Type: application/json\r\n\r\n" .. meta .. "\r\n--" .. boundary ..
        "\r\nContent-Disposition: form-data; name=\"main\"; filename=\"cong-van.pdf\"\r\n" ..
        "Content-Type: application/pdf\r\n\r\n" .. pdf_head .. string.format("%010d", n) ..
        pdf_tail .. "\r\n--" .. boundary .. "--\r\n"
    return wrk.format("POST", "/api/v1/documents/incoming", {
        ["Authorization"] = "Bearer " .. token,
        ["Content-Type"] = "multipart/form-data; boundary=" .. boundary,
    }, body)
end

-- The first few unexpected answers, to stderr (the refused run expects 422).
local shown = 0
function response(status, headers, body)
    local expected = bad and 422 or 201
    if status ~= expected and shown < 3 then
        shown = shown + 1
        io.stderr:write(string.format("unexpected %d: %s\n", status, body:sub(1, 300)))
    end
end
