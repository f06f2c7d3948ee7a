// Cue tables of the built-in coding detector: regex fragments grouped by how much they weigh.
// Kept apart from the scoring so the word lists can grow without touching the logic.

/** Lines or tokens only source code has: statement ends, operators, declarations, identifiers. */
export const CODE_TOKENS = [
  String.raw`[;{]\s*$`,
  String.raw`^\s*[}\])];?\s*$`,
  String.raw`=>|===|!==|!=|==|&&|\|\||::|\+=|-=|\+\+|<<|>>=`,
  String.raw`\b[A-Za-z_]\w*\.[A-Za-z_]\w*\(`,
  String.raw`\b[A-Za-z_]\w*\(\)`,
  // Declarations need their syntax too, so that prose starting with "let me" or "import cars" stays prose.
  String.raw`^\s*(?:def\s+\w+\s*\(|class\s+[A-Z]\w*|from\s+[\w.]+\s+import\s|import\s+(?:\{|\*|[\w.]+\s*;|[\w.]+\s+from\s+['"]|[a-z_][\w.]*(?:\s+as\s+\w+)?\s*$)|(?:const|let|var)\s+\w+\s*=|function\s*\w*\s*\(|(?:public|private|protected)\s+(?:static\s+)?\w+|#include|#define|using\s+(?:namespace|[A-Z]\w*[.;])|package\s+[a-z][\w.]*\s*;?$|fn\s+\w+|func\s+\w*\s*\(|impl\s+[A-Z<]|(?:struct|enum)\s+\w+\s*\{|print\s*\(|export\s+(?:default|const|function|class)|(?:SELECT|INSERT INTO|DELETE FROM|CREATE (?:TABLE|INDEX)|ALTER TABLE)\b|UPDATE\s+\w+\s+SET\b)`,
  String.raw`\b[a-z][a-z0-9]*_[a-z0-9_]+\b`,
  String.raw`\b[a-z]{2,}[A-Z][A-Za-z0-9]*\b`,
  String.raw`</?[a-z][a-z0-9]*(?:\s[^<>]*)?>`,
  String.raw`\$[A-Za-z_{(]`,
  String.raw`(?:^|\s)--?[a-z][a-z-]+=?`,
  String.raw`\b[\w-]+\.(?:py|js|jsx|ts|tsx|mjs|java|kt|go|rs|c|cpp|h|hpp|rb|php|cs|sh|json|ya?ml|toml|sql|html|css|scss|vue|swift|ipynb|env|lock|gradle|xml)\b`,
  String.raw`\bSELECT\b[\s\S]{1,200}?\bFROM\b`,
  String.raw`\w(?:\[\w*\])+\s*=[^=]`,
  String.raw`\)\s*(?:->\s*[\w\[\], ]+)?:\s*$`,
];

/** Shapes of stack traces, compiler diagnostics and runtime error lines. */
export const TRACE_SHAPES = [
  String.raw`Traceback \(most recent call last\)`,
  String.raw`File "[^"\n]+", line \d+`,
  String.raw`^\s*at [\w$.<>/\[\] ]+\(?[^\s()]*:\d+`,
  String.raw`\b[A-Z][A-Za-z0-9]+(?:Error|Exception|Warning)\b`,
  String.raw`\b(?:java|javax|org|com|android|kotlin|System)\.[a-z]\w*\.[\w.$]+`,
  String.raw`\bpanic(?:ked)?\b[^\n]{0,20}(?::|\bat\b)`,
  String.raw`\bgoroutine \d+ \[`,
  String.raw`\berror\[E\d{4}\]`,
  String.raw`\bSegmentation fault|core dumped|SIGSEGV|SIGABRT`,
  String.raw`\bnpm ERR!|\bfatal: |^ERROR: |^E/\w+|\bFATAL EXCEPTION\b|\bUncaught\b`,
  String.raw`\bE(?:CONNREFUSED|ADDRINUSE|NOENT|ACCES|PERM|TIMEDOUT|RESOLVE)\b`,
  String.raw`\b(?:is not defined|is not a function|Cannot read propert|undefined method|nil pointer|null pointer|unwrap\(\)|RUST_BACKTRACE|Caused by:|CORS policy|not valid JSON|Hydration failed)`,
  String.raw`\b\w+\.(?:py|js|jsx|ts|tsx|go|rs|rb|php|cs|c|cpp|java|kt):(?:line )?\d+`,
  String.raw`\[-W[\w-]+\]|\bwarning: implicit`,
  String.raw`\b(?:psql|bash|zsh|sh|node|python3?): [^\n]*(?:error|not found|denied)`,
  String.raw`^(?:Warning|Error|WARNING|ERROR|warning|error):\s`,
];

/** Phrases that by themselves say "this is about programming" (+1 each, distinct). */
export const STRONG = [
  String.raw`write (?:me )?(?:a |an |the |some )?(?:\w+ ){0,2}?(?:function|method|program|script|class|quer(?:y|ies)|regex|unit tests?|code|snippet|module|api|endpoint|parser|dockerfile|workflow|one-liner|struct|data class|playbook|manifest)`,
  String.raw`(?:\bin|\ben|\bem|\bmit|\bcon|\bavec|на|用)\s?(?:python|java|javascript|c\+\+|c#|c|go|golang|rust|ruby|kotlin|swift|php|typescript|bash|sql|haskell|elixir|scala|numpy|pandas|code)\b(?![\s,]+(?:indonesia|island|bali|and (?:bali|sumatra)))`,
  // Shapes of programming-task statements, as code benchmarks and interview sites phrase them.
  String.raw`\bo\(n(?: log n|\^2|²)?\)|\bo\(1\)|\breturns? (?:true|false|none|null|-1)\b|\bgiven (?:an? |two |the )?(?:array|string|list of (?:integers|numbers|strings)|binary tree|linked list|integer array|sorted|grid of)|\b(?:min|max)[- ]?heap|\bpriority queue|\btrie\b|\bstacks? and (?:a )?queues?|\blru cache|\badjacency list|\bdynamic programming|\bmemoiz\w*|\bif[- ]statements?|\bif/else|\bswitch statement|\b(?:for|while)[- ]loops?|\bprocess(?:es)? (?:and|vs\.?|versus) (?:a )?threads?|\bdiv\b|\bflexbox|\bsortable|\bpaginat\w*|\binfinite scroll|\blazy[- ]load\w*|\bdebounc\w*|\bci(?:/cd)? (?:pipeline|job|build|step|run|config|workflow)s?\b|\bcode (?:example|sample)s?|\bexample code`,
  String.raw`(?<=[\u3040-\u30ff\u4e00-\u9fff])(?:python|java(?:script)?|react|git|docker|mysql|sql)|(?:python|java(?:script)?|react|git|docker|mysql|sql|api)(?=[\u3040-\u30ff\u4e00-\u9fff])`,
  String.raw`\b(?:javascript|typescript|node\.?js|c\+\+|c#|golang|kotlin|haskell|php|perl|scala|elixir|clojure|sql|mysql|postgres(?:ql)?|sqlite|mongodb|redis|html|css|react|vue|angular|svelte|next\.js|django|flask|fastapi|spring boot|laravel|pandas|numpy|pytorch|tensorflow|pygame|jquery|junit|pytest|jest|selenium|webpack|vite|eslint)\b`,
  String.raw`\b(?:docker(?:file)?|docker-compose|kubernetes|k8s|terraform|ansible|nginx|systemd|helm chart|github actions|gitlab|git|npm|pip install|brew install|apt(?:-get)? install|powershell|bash (?:script|one-liner)|shell script|sed|awk|grep|chmod|sudo|ssh|crontab|cron (?:job|expression)|localhost|stdin|stdout|stderr|jvm|jdk|\.net|vscode|cli|sdk|graphql|oauth|jwt|cors|websockets?|https?|tcp|ci/cd|devops|repo(?:sitory)?|rebase|pull request|merge conflict)\b`,
  String.raw`\b(?:regex(?:es)?|regular expressions?|apis?|rest api|json|yaml|xml|endpoints?|webhooks?|backend|frontend|front-end|back-end|microservices?|codebase|source code|snippet|refactor\w*|compiler|compil(?:e|ation) errors?|syntax error|runtime error|segfault|nullptr|mutex|race condition|recursion|recursive(?:ly)?|linked list|binary (?:tree|search)|hash ?(?:map|table|set)|big[- ]o|time complexity|leetcode|data structures?|boolean|static method|abstract class|constructor|polymorphism|dependency injection|namespace|async(?:/await)?|iterator|lambda|unit[- ]tests?|stack overflow|memory leak|garbage collect\w*|thread-safe|multithread\w*|stack ?trace|traceback|backtrace|unicode|utf-?8|orm|virtualenv|venv|conda|programming|programmer|coding|web ?apps?|single page app|usestate|useeffect)\b`,
  String.raw`\b(?:my|our) (?:web ?|mobile |ios |android |react |flask |node |django )?(?:app|site|website|web ?page|page|api|server|backend|frontend|game|dashboard|endpoint|service|bot|extension|plugin|code|program|script|repo|database|form|build|query|migrations?|nightly (?:job|import)|ci|cron|container|deploy(?:ment)?|component|schema)\b(?! (?:of|about|for) (?:my|our|the) )`,
  String.raw`(?:escribe|escreva|écris|écrire|schreibe|schreib|напиши|написать)\s(?:una?|um|une?|eine?n?)?\s?(?:función|funcion|função|fonction|funktion|функци\w*|script|programa|programme|programm|consulta|requête|abfrage)`,
  String.raw`(?:base de datos|banco de dados|base de données|datenbank\w*|баз[аыу] данных|consulta sql|requête sql|sql-запрос|liste chaînée|chaîne de caractères|falha de segmentação|endlosschleife|unit-test|связн\w+ спис\w+|массив\w*|переменн\w+|página web|page web|webseite)`,
  String.raw`(?:函数|代码|编程|程序|数组|字符串|数据库|报错|接口|算法|变量|循环|索引|前端|后端|白屏|防抖|元组|関数|コード|プログラム|配列|文字列|データベース|エラー|実装|変数|ループ|バグ|コンテナ|コミット|ステート|辞書)`,
];

/** Words that lean towards programming but have everyday senses (+0.4 each, distinct). */
export const WEAK = [
  String.raw`\b(?:functions?|class(?:es)?|methods?|java|python|bugs?|compil\w*|tables?|loops?|librar(?:y|ies)|objects?|scripts?|programs?|memory|threads?|shell|ruby|swift|rust|go|debug\w*|code|servers?|quer(?:y|ies)|arrays?|strings?|integers?|variables?|algorithms?|trees?|graphs?|nodes?|deploy\w*|cache\w*|tokens?|sessions?|cookies?|implement\w*|interfaces?|exceptions?|import\w*|generators?|callbacks?|closures?|promises?|parameters?|arguments?|index(?:es)?|schemas?|migrations?|commits?|branch(?:es)?|merge|pipelines?|containers?|bash|express|yarn|rails|dns|encoding|concurren\w*|deadlock|dataframe|csv|palindromes?|anagrams?|fibonacci|render\w*|props?|excel|databases?|software|developers?|frameworks?|components?|modules?|packages?|upgrad\w*|build|install\w*|config\w*|syntax|errors?|crash\w*|files?|folders?|director(?:y|ies)|terminal|command line|console|linux|windows|mac|browser|apps?|websites?|pages?|users?|tests?|methods?)\b`,
  String.raw`(?:función|funcion|função|fonction|funktion(?:en)?\b|функци\w*|código|codigo|programa|programme|programm\b|kode|код\b|кода|коде|ошибк\w*|запрос\w*|цикл\w*|сайт\w*|списк\w*|словар\w*|bucle|laço|vetor|requête|tableau|schleife|abfrage|fehler|erreur|error|arquivo|fichier|datei|ponteir\w*|列表|页面|实现|写一个)`,
];

/** Everyday contexts that turn the weak words above back into prose (−1.5 each, distinct). */
export const NEGATIVE = [
  String.raw`\b(?:mitochondria|kidneys?|liver|organs?|enzymes?|hormones?|glands?|photosynthesis|chlorophyll|blood|heart'?s?|immune|hypothalamus|appendix|white blood cells|medication|drugs|dementia|adhd|symptoms?)\b`,
  String.raw`\b(?:island|indonesia|bali|jakarta|yogyakarta|sumatra|coffee|beans|trip|travel|itinerary|visit)\b`,
  String.raw`\b(?:students?|teachers?|field trip|yoga|pottery|middle class|bake sale|homework|school|daughter'?s?|son'?s|toddler|tantrums?)\b`,
  String.raw`\b(?:snakes?|reptiles?|ball python|burmese|reticulated|pythons|monty python|insects?|beetles?|basil|tomatoes|garden\w*|pesticides?|plants?|stomach bug|rabbit'?s?|cats?|dogs?|pets?)\b`,
  String.raw`\bcompile (?:a|the|my|our|these|all)\b|\bcompil\w* (?:a list|the key points|notes|recipes?|a cookbook)|\bcookbook\b`,
  String.raw`\b(?:relationship|mother|sister|boyfriend|girlfriend|marriage|prenuptial|morning routine|sleep schedule|attitude)\b`,
  String.raw`\b(?:table setting|formal dinner|restaurant|book (?:a )?table|book club|book fair|novels?|gerund|grammar|napoleonic|da vinci|dress code|black tie|emmys?|tv program|program director|board game|periodic table|guitar|necklace|furniture|living room)\b`,
  String.raw`\b(?:derivative|integral|solve for|equations?|probability|parabola|vertex|eigenvalues?|domain and range|inverse function|prove that|odd, even|[a-z]\(x\)|x\^\d)\b|\b(?:the |a |an )?function of (?:the|a|an)\b|\bfunction of (?:chlorophyll|\w+ cells)`,
  String.raw`(?:hígado|riñones|rins|fígado|globules|schilddrüse|immunsystem|печени|肝臓|indonésie|indonesia|giftig|afrika)`,
];

/** Parts of a running application, and the ways users say it misbehaves: together they are a bug report. */
export const SOFTWARE_NOUNS = String.raw`\b(?:apps?|pages?|sites?|website|web|browser|button|form|dropdown|modal|menu|dashboard|endpoint|server|database|upload\w*|log(?:s|ged)? (?:me |users |people |them )?(?:in|out)|sign(?:up|[ -]in|[ -]up)|spinner|checkout|deploy\w*|builds?|nightly|cron|layout|styles?|scroll\w*|notifications?|badge|search (?:box|field)|progress bar|safari|chrome|firefox|users|customers|tab|sync\w*|offline|game|spawn|enemies|character|font size|dark mode|emails? (?:our|the) app|signup|fake accounts|record|import|redeploys?|currency symbol)\b`;
export const SYMPTOMS = String.raw`\b(?:blank|freez\w*|crash\w*|break\w*|broken|fails?|failing|silently|doesn't|does not|don't|won't|never|wrong|slow\w*|duplicat\w*|twice|off by|flicker\w*|cut off|missing|returns?|500|404|403|logs? (?:me|users|them) out|logged out|stutter\w*|jump\w*|behind|disappear\w*|leak\w*|drains?|hangs?|times? out|timeout|weird characters|sideways|falls? through|survive|spam|securely|even though|how (?:do|can|should) (?:i|we) (?:let|stop|store|handle|prevent|cut|make)|longer every|first few requests|shows? (?:the )?(?:wrong|yesterday)|washed out|works? (?:for|on|in|locally))\b`;
