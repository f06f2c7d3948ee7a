// Cue tables of the built-in coding detector: words and phrases grouped by how much they weigh.
// Kept apart from the scoring so the word lists can grow without touching the logic.
//
// Spec syntax (expanded once by lexicon.ts): words separated by spaces; `(a|b c)` is a choice and
// `(a|b)?` an optional one; `word*` matches any word starting with `word` (counted by the whole word),
// `word+` the same but counted by the stem; `_` is any one word; `-` `/` `.` `'` inside a word are
// required separators ("if/else", "doesn't"). `!(x|y)` at the end: not when followed by x or y.

/** Phrases that by themselves say "this is about programming" (+1 each, distinct). */
export const STRONG: readonly string[] = [
  "write (me)? (a|an|the|some)? (_|_ _)? (function*|method*|program*|script*|class*|query*|queries*|regex*|unit test*|code*|snippet*|module*|api*|endpoint*|parser*|dockerfile*|workflow*|one-liner*|struct*|data class*|playbook*|manifest*|generator*|decorator*|iterator*|algorithm*|shader*|scraper*|crawler*|middleware*|plugin*|bot)",
  "implement (a|an|the)? (_|_ _)? (function*|algorithm*|cache*|stack|heap|trie|parser*|interface*|api*|endpoint*|iterator*)",
  "(in|en|em|mit|con|avec|на|в) (python|java|javascript|c|go|golang|rust|ruby|kotlin|swift|php|typescript|bash|sql|haskell|elixir|scala|numpy|pandas|code) !(indonesia|island|bali|and bali|and sumatra)",
  // Shapes of programming-task statements, as code benchmarks and interview sites phrase them.
  "(return|returns) (true|false|none|null)", "(let|const|var) (and|vs|versus|or) (let|const|var)",
  "(integer|integers|int|char|string|strings|boolean|float) (array|arrays)", "array of (integers|strings|ints|characters|objects|numbers)",
  "given (a|an|two|the)? (array*|string*|list of integers*|list of numbers*|list of strings*|binary tree*|linked list*|integer array*|sorted*|grid of*)",
  "(min|max) heap*", "(min|max)-heap*", "(minheap*|maxheap*)", "priority queue*", "trie", "(stack|stacks) and (a)? queue*",
  "lru cache*", "adjacency list*", "dynamic programming*", "(substring*|subarray*|palindromic)",
  "(dijkstra*|bellman-ford|floyd-warshall|kruskal*|breadth-first|depth-first|bfs|dfs|topological sort*|union-find|backtracking|sliding window|two pointers|bitwise|bit manipulation)",
  "using (a|one|two)? (stack|stacks|queue|queues|heap|heaps|hash map|hashmap|linked list)", "memoiz*", "(if statement*|if-statement*|if/else)",
  "switch statement*", "(for|while) loop*", "(for|while)-loop*", "(process|processes) (and|vs|versus) (a)? thread*",
  "(div|flexbox*|sortable*|paginat*|debounc*)", "infinite scroll*", "(lazy load*|lazy-load*|lazyload*)",
  "(ci|ci/cd) (pipeline|pipelines|job|jobs|build|builds|step|steps|run|runs|config|configs|workflow|workflows)",
  "code (example*|sample*)", "example code*",
  "(javascript|typescript|node.js|nodejs|golang|kotlin|haskell|php|perl|scala|elixir|clojure|sql|mysql|postgres|postgresql|sqlite|mongodb|redis|html|css|react|vue|angular|svelte|next.js|django|flask|fastapi|laravel|pandas|numpy|pytorch|tensorflow|pygame|jquery|junit|pytest|jest|selenium|webpack|vite|eslint)",
  "spring boot",
  "(docker|dockerfile|docker-compose|kubernetes|k8s|terraform|ansible|nginx|systemd|gitlab|git|npm|powershell|sed|awk|grep|chmod|sudo|ssh|crontab|localhost|stdin|stdout|stderr|jvm|jdk|vscode|cli|sdk|graphql|oauth|jwt|cors|websocket|websockets|http|https|tcp|ci/cd|devops|repo|repository|rebase)",
  // Tools, platforms and libraries whose names have no everyday sense.
  "(kubectl|minikube|kubeconfig|crashloopbackoff|oomkilled|vercel|netlify|heroku|supabase|firebase|prisma|nestjs|nuxt|expressjs|tailwindcss|jupyter|matplotlib|seaborn|scikit-learn|sklearn|keras|huggingface|langchain|wget|zsh|neovim|emacs|intellij|pycharm|xcode|swiftui|cmake|makefile|gradle|rustc|pnpm|npx|nodemon|gunicorn|uvicorn|rabbitmq|elasticsearch|dynamodb|ec2|cloudformation|vba|arduino|esp32|micropython|dotnet|matlab|verilog|vhdl)",
  "(github|bitbucket|stackblitz|codepen|replit)", "(environment variable*|env var*|env file*|config file*|status code*|exit code*|rate limit*|rate-limit*)",
  "(discord|telegram|slack|twitch|reddit|whatsapp) (bot|bots)", "(chrome|browser|vscode|firefox) (extension|extensions)", "vs code",
  "(excel|spreadsheet|sheets|outlook|word) (macro|macros|vba)", "apps script", "(in|on) ci",
  // Problem statements as programming contests and benchmarks write them.
  "(return|returns|print|prints|output|outputs) (the|an|a)? (_)? (number|length|sum|minimum|maximum|index|indices|count|kth|k-th) of",
  "return all possible", "(print|output) (yes|no|-1|a single integer|one integer|the answer)",
  "(the|each) (first|second|next|only|third|last) line (of input|of the input)? contains", "reverse polish notation",
  "(each|every|hidden|failing|edge|sample) test (case|cases)", "(kth|k-th) (largest|smallest|element|most)", "(sorted|unsorted|rotated) (array|arrays|list|lists)",
  "(sample|example) (input|output)*", "(input|output) format", "time limit exceeded", "2d (grid|grids|array|arrays|matrix|list|lists)",
  // Version control: a commit or a branch as things, not the everyday verbs.
  "(the|a|my|this|that|each|every|one|last|latest|previous|initial) (last|latest|previous)? (commit|commits)", "(feature|master|develop|remote|git|upstream) (branch|branches)",
  "(squash|squashing|cherry-pick|revert|reverting|amend|amending|stash|stashing) (my|the|these|those|all|a|an|last)? (_|_ _)? (commit|commits)", "(force push*|force-push*|detached head)",
  "(login|log-in|sign-in|signin|signup|sign-up|registration|checkout) (form|forms|page|pages|screen|screens|flow|endpoint|modal|component)",
  "(helm chart|github actions|pip install|brew install|apt install|apt-get install|bash script|bash one-liner|shell script|cron job|cron expression|pull request|merge conflict)",
  "(regex|regexes|regular expression|regular expressions|api|apis|rest api|json|yaml|xml|endpoint|endpoints|webhook|webhooks|backend|frontend|front-end|back-end|microservice|microservices|codebase|source code|snippet|compiler)",
  // To refactor is a programmer's word, except when the thing refactored is a piece of writing or of everyday life.
  "refactor* !(this|the|my|our|your|a|an|that|these|those)? (_)? (paragraph|paragraphs|sentence|sentences|essay|essays|email|emails|e-mail|letter|letters|cover letter|poem|poems|speech|story|stories|bio|resume|résumé|article|blog post|tweet|caption|slogan|wording|prose|intro|introduction|conclusion|chapter|thesis|budget|routine|wardrobe|closet|habits|finances|diet)",
  "(compile|compilation) (error|errors)", "(syntax|runtime) error",
  "(segfault|nullptr|mutex|race condition|recursion|recursive|recursively|linked list*|binary tree*|binary search*|hashmap*|hash map*|hashtable*|hash table*|hashset*|hash set*|big-o|big o|bigo|time complexity|space complexity|leetcode|data structure*|boolean)",
  "(static method|abstract class|constructor|polymorphism|dependency injection|namespace|async|async/await|iterator|lambda|unit test|unit tests|unit-test|unit-tests|stack overflow|memory leak|garbage collect*|thread-safe|multithread*)",
  "(stack trace|stacktrace|traceback|backtrace|unicode|utf8|utf-8|orm|virtualenv|venv|conda|programming|programmer|coding|web app|web apps|webapp|webapps|single page app|usestate|useeffect)",
  "(my|our) (web|mobile|ios|android|react|flask|node|django|next|nextjs|vue|rails|expo|electron|flutter|shopify|wordpress|unity)? (app|site|website|web page|webpage|page|api|server|backend|frontend|game|dashboard|endpoint|service|bot|extension|plugin|code|program|script|repo|database|form|build|query|migration|migrations|nightly job|nightly import|ci|cron|container|deploy|deployment|component|schema) !(of my|of our|of the|about my|about our|about the|for my|for our|for the)",
  "(escribe|escreva|écris|écrire|schreibe|schreib|напиши|написать) (una|un|um|une|eine|ein|einen)? (función+|funcion+|função+|fonction+|funktion+|функци+|script+|programa+|programme+|programm+|consulta+|requête+|abfrage+)",
  "(base de datos|banco de dados|base de données|datenbank+|база данных|базы данных|базу данных|consulta sql|requête sql|sql-запрос|liste chaînée|chaîne de caractères|falha de segmentação|endlosschleife+|unit-test|связн+ спис+|массив+|переменн+|página web|page web|webseite+)",
];

/** Ideographic cues, found anywhere in a run of CJK characters. */
export const STRONG_CJK: readonly string[] = [
  "函数", "代码", "编程", "程序", "数组", "字符串", "数据库", "报错", "接口", "算法", "变量", "循环", "索引", "前端", "后端",
  "白屏", "防抖", "元组", "関数", "コード", "プログラム", "配列", "文字列", "データベース", "エラー", "実装", "変数", "ループ",
  "バグ", "コンテナ", "コミット", "ステート", "辞書",
];
/** Technology names that count when written next to CJK text without a space ("用Python写"). */
export const CJK_NEIGHBOURS: readonly string[] = ["python", "java", "javascript", "react", "git", "docker", "mysql", "sql"];

/** Words that lean towards programming but have everyday senses (+0.4 each, distinct). */
export const WEAK: readonly string[] = [
  "(function|functions|class|classes|method|methods|java|python|bug|bugs|compil*|table|tables|loop|loops|library|libraries)",
  "(object|objects|script|scripts|program|programs|memory|thread|threads|shell|ruby|swift|rust|go|debug*|code|server|servers)",
  "(query|queries|array|arrays|string|strings|integer|integers|variable|variables|algorithm|algorithms|tree|trees|graph|graphs)",
  "(node|nodes|deploy*|cache*|token|tokens|session|sessions|cookie|cookies|implement*|interface|interfaces|exception|exceptions)",
  "(subsequence|subsequences|password|passwords|hash|hashing|dropdown|dropdowns)",
  "(import*|generator|generators|callback|callbacks|closure|closures|promise|promises|parameter|parameters|argument|arguments)",
  "(index|indexes|schema|schemas|migration|migrations|commit|commits|branch|branches|merge|pipeline|pipelines|container|containers)",
  "(bash|express|yarn|rails|dns|encoding|concurren*|deadlock|dataframe|csv|palindrome|palindromes|anagram|anagrams|fibonacci|render*)",
  "(prop|props|excel|database|databases|software|developer|developers|framework|frameworks|component|components|module|modules)",
  "(package|packages|upgrad*|build|install*|config*|syntax|error|errors|crash*|file|files|folder|folders|directory|directories)",
  "(terminal|command line|console|linux|windows|mac|browser|app|apps|website|websites|page|pages|user|users|test|tests)",
  "(función+|funcion+|função+|fonction+|funktion|funktionen|функци+|código+|codigo+|programa+|programme+|programm|kode+|кода+|коде+)",
  "(ошибк+|запрос+|цикл+|сайт+|списк+|словар+|bucle+|laço+|vetor+|requête+|tableau+|schleife+|abfrage+|fehler+|erreur+|error+)",
  "(arquivo+|fichier+|datei+|ponteir+)",
];
export const WEAK_CJK: readonly string[] = ["列表", "页面", "实现", "写一个"];

/** Everyday contexts that turn the weak words above back into prose (−1.5 each, distinct). */
export const NEGATIVE: readonly string[] = [
  "(mitochondria|kidney|kidneys|liver|organ|organs|enzyme|enzymes|hormone|hormones|gland|glands|photosynthesis|chlorophyll|blood)",
  "(heart|hearts|immune|hypothalamus|appendix|white blood cells|medication|drugs|dementia|adhd|symptom|symptoms)",
  "(island|indonesia|bali|jakarta|yogyakarta|sumatra|coffee|beans|trip|travel|itinerary|visit)",
  "(student|students|teacher|teachers|field trip|yoga|pottery|middle class|bake sale|homework|school|daughter|daughters|sons|son's|toddler|tantrum|tantrums)",
  "(snake|snakes|reptile|reptiles|ball python|burmese|reticulated|pythons|monty python|insect|insects|beetle|beetles|basil|tomatoes|garden*)",
  "(pesticide|pesticides|plant|plants|stomach bug|rabbit|rabbits|cat|cats|dog|dogs|pet|pets)",
  "compile (a|the|my|our|these|all)", "compil* (evidence|information|research|sources|references|receipts|documents|statistics|quotes|photos|testimonials)", "compil* (a list|the key points|notes|recipe|recipes|a cookbook)", "cookbook",
  "(relationship|mother|sister|boyfriend|girlfriend|marriage|prenuptial|morning routine|sleep schedule|attitude)",
  "(table setting|formal dinner|restaurant|book table|book a table|book club|book fair|novel|novels|gerund|grammar|napoleonic|da vinci)",
  "(dress code|black tie|emmy|emmys|tv program|program director|board game|periodic table|guitar|necklace|furniture|living room)",
  "(derivative|integral|solve for|equation|equations|probability|parabola|vertex|eigenvalue|eigenvalues|domain and range|inverse function|prove that)",
  "(linear algebra|vector space*|calculus|lemma|irrational|differentiable|injective|surjective|bijective)",
  // Word problems: how many things a person in the story has or does.
  "how (many|much) (_|_ _|_ _ _)? (does|did|do|will|would|can) (he|she|they|it|each)", "altogether",
  "(the|a|an)? function of (the|a|an|chlorophyll)", "function of _ cells",
  // Writing and everyday things "refactored": the word is borrowed, the request is about prose or life.
  "refactor* (this|the|my|our|your|a|an|that)? (_)? (paragraph|paragraphs|sentence|sentences|essay|essays|email|emails|letter|cover letter|poem|speech|story|bio|resume|résumé|article|blog post|tweet|wording|prose|intro|introduction|conclusion|chapter|thesis|budget|routine|wardrobe|closet|habits|finances|diet) !(function*|method*|class*|code|module*|script*|parser*|handler*|validat*|template*|service*|sender*|client*|component*|logic|file*|field*|regex*)",
  // The writer's blank page, not a web page gone blank.
  "(syndrome|angoisse|peur) (de la)? page blanche", "(miedo|terror|síndrome|sindrome) (a la|de la) (página|pagina|hoja) en blanco", "(paura|ansia) della pagina bianca",
  "(hígado+|riñones+|rins+|fígado+|globules+|schilddrüse+|immunsystem+|печени+|indonésie+|indonesia+|giftig+|afrika+)",
];
export const NEGATIVE_CJK: readonly string[] = ["肝臓"];

/**
 * Requests about words themselves: a programming term they quote ("Translate 'stack trace' into French",
 * "how do you say 'bug' in German") is mentioned, not used, and cues inside the quotes do not count.
 */
export const MENTION: readonly string[] = [
  "(translate|translates|translated|translating|translation|translations|translator)",
  "(traduce|traduzca|traducir|traduceme|tradúceme|traducción|traduccion|traduire|traduis|traduisez|traduction|traduza|traduzir|tradução|traducao)",
  "(traduci|tradurre|traduzione|übersetze|übersetzen|übersetzt|übersetzung|uebersetze|переведи|переведите|перевести|перевод)",
  // Keyed on their rarer word, so that common first words ("how", "what") try no more phrases than before.
  "(you|one) (say|pronounce|spell)", "word for",
  "(pronounce|pronunciation|synonym|synonyms|antonym|antonyms)", "(como|cómo) se dice", "comment (dit-on|dire)", "wie sagt man", "come si dice",
];

/** Parts of a running application, and the ways users say it misbehaves: together they are a bug report. */
export const SOFTWARE_NOUNS: readonly string[] = [
  "(app|apps|page|pages|site|sites|website|web|browser|button|form|dropdown|modal|menu|dashboard|endpoint|server|database|upload*)",
  "(log|logs|logged) (me|users|people|them)? (in|out)", "(signup|sign-in|sign in|sign-up|sign up)",
  "(spinner|checkout|deploy*|build|builds|nightly|cron|layout|style|styles|scroll*|notification|notifications|badge|search box|search field)",
  "(progress bar|safari|chrome|firefox|users|customers|tab|sync*|offline|game|spawn|enemies|character|font size|dark mode)",
  "(email|emails) (our|the) app", "(fake accounts|record|import|redeploy|redeploys|currency symbol)",
  // Using a screen: clicking, tapping, pressing a key or a button of the interface.
  "(click|clicks|clicked|clicking|double-click*|double click*) (on|the|a|any|twice|again|save|submit|send|it|that|this|once|through|back)",
  "(press|presses|pressed|pressing|hit|hits|hitting|tap|taps|tapped|tapping) (save|submit|send|enter|refresh|reload|back|delete|the save|the submit|the send|the back|the refresh)",
  "(i|we|you|users|they|someone) (tap|tapped|double-tap|double-tapped)",
  // The same parts in Spanish, Portuguese, French, Italian and German (words shared with English are above).
  "(página|páginas|pagina|paginas|aplicación|aplicacion|aplicaciones|aplicativo|aplicativos|applicazione|appli|anwendung|webseite|homepage|sitio|sito)",
  "(pantalla|écran|ecran|schermo|schermata|bildschirm|botón|boton|botão|botao|bouton|pulsante|bottone|knopf|schaltfläche|formulario|formulário|formulaire|formular)",
  "(navegador|navigateur|servidor|serveur|clic|klick*|doppelklick*)", "(mon|ma|notre|votre|cette|l'|une) application", "(a|minha|na|da|nossa) tela",
  "(je|on|il|elle|tu|vous|nous|ils) (clique|cliques|cliquez|cliquons|cliquent|appuie|appuies|appuyez)", "(cliquer|clicar|cliccare|clicco|clicca|clico|cliquei)",
];
export const SYMPTOMS: readonly string[] = [
  "(blank|freez*|crash*|break*|broken|fail|fails|failing|silently|doesn't|does not|don't|won't|never|wrong|slow*|duplicat*|twice)",
  "(off by|flicker*|cut off|missing|return|returns|500|404|403|logged out|stutter*|jump*|behind|disappear*|leak*|drain|drains)",
  "(log|logs) (me|users|them) out", "(hang|hangs|time out|times out|timeout|weird characters|sideways|fall through|falls through)",
  "(survive|spam|securely|even though|longer every|first few requests|washed out)",
  "nothing (happens|happened|shows|showed|loads|loaded|appears|appeared)",
  "how (do|can|should) (i|we) (let|stop|store|handle|prevent|cut|make)", "(show|shows) (the)? (wrong|yesterday)",
  "(work|works) (for|on|in|locally)", "(close|closes|reset|resets|reload|reloads|refresh|refreshes) (as soon as|whenever|every time|immediately)",
  // Going blank, crashing, freezing, not loading, doing a thing twice: in Spanish, Portuguese, French, Italian, German.
  "(queda|quedan|quedó|pone|ponen|fica|ficam|ficou) (en|em)? (blanco|blanca|branco|branca)", "(pantalla|tela|página|pagina) (en|em)? (blanco|blanca|branco|branca)",
  "(se)? (cuelga|cuelgan|congela|congelan|bloquea|bloquean|trava|travou|travando|congelou)",
  "(no|não|nao|nunca) (carga|cargan|funciona|funcionan|responde|responden|guarda|carrega|carregam|salva)", "(falla|fallan|crashea|crashou)",
  "(dos|duas) veces", "duas vezes", "(se)? (duplica|duplican|duplicó|duplicam|duplicou)", "(desaparece|desaparecen|desaparecem)",
  "(plante|plantent|planté|fige|figé|figée|gèle|freeze) !(verte|vertes|grasse|grasses|d'intérieur|en pot)",
  "(reste|restent|devient|deviennent) (blanche|blanc|vide|noir|noire)", "(écran|ecran|page) (blanc|blanche|noir|vide)",
  "ne (charge|chargent|marche|marchent|fonctionne|fonctionnent|répond|repond) (pas|plus)", "(n'affiche|n'enregistre|n'apparaît) (rien|pas|plus)",
  "(en double|deux fois)", "(disparaît|disparait|disparaissent)",
  "(si blocca|si bloccano|crasha|crashano|va in crash)", "(resta|rimane|diventa) (bianca|bianco|vuota|vuoto)", "(pagina|schermata) (bianca|vuota)", "schermo bianco",
  "non (carica|caricano|funziona|funzionano|risponde|salva)", "due volte", "(scompare|scompaiono|sparisce|spariscono)",
  "(stürzt|stürzen|abgestürzt|absturz*|hängt|friert|eingefroren)", "(bleibt|bleiben|wird) (weiß|weiss|leer|schwarz)",
  "(lädt|laedt|funktioniert|reagiert|speichert) (nicht|nichts)", "(doppelt|zweimal)", "(verschwindet|verschwinden)",
];

/** Words after which a stack trace may follow: only then are the trace shapes below looked for. */
export const TRACE_WORDS: readonly string[] = [
  "(traceback|panic|panicked|goroutine|segmentation|dumped|sigsegv|sigabrt|err|fatal|uncaught|undefined|defined|caused|cors)",
  "(econnrefused|eaddrinuse|enoent|eacces|eperm|etimedout|eresolve|rust_backtrace|hydration|cannot read|nil pointer|null pointer)",
  "(not a function|not valid json)",
];

/** Shapes of stack traces, compiler diagnostics and runtime error lines. */
export const TRACE_SHAPES = [
  String.raw`Traceback \(most recent call last\)`,
  String.raw`File "[^"\n]+", line \d+`,
  // A frame's words each end at a space or an opening parenthesis, so no two parts can take the
  // same characters: a long line that is no frame is given up in one pass, not one per split.
  String.raw`^[ \t]*at (?:[\w$.<>/\[\]]+ )*(?:[\w$.<>/\[\]]*\()?[^\s()]*:\d+`,
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

/** Declarations at the start of a line; tried only on lines whose first word is one of DECLARATION_WORDS. */
export const DECLARATION = String.raw`^\s*(?:def\s+\w+\s*\(|class\s+[A-Z]\w*|from\s+[\w.]+\s+import\s|import\s+(?:\{|\*|[\w.]+\s*;|[\w.]+\s+from\s+['"]|[a-z_][\w.]*(?:\s+as\s+\w+)?\s*$)|(?:const|let|var)\s+\w+\s*=|function\s*\w*\s*\(|(?:public|private|protected)\s+(?:static\s+)?\w+|#include|#define|using\s+(?:namespace|[A-Z]\w*[.;])|package\s+[a-z][\w.]*\s*;?$|fn\s+\w+|func\s+\w*\s*\(|impl\s+[A-Z<]|(?:struct|enum)\s+\w+\s*\{|print\s*\(|export\s+(?:default|const|function|class)|(?:SELECT|INSERT INTO|DELETE FROM|CREATE (?:TABLE|INDEX)|ALTER TABLE)\b|UPDATE\s+\w+\s+SET\b)`;
export const DECLARATION_WORDS: readonly string[] = [
  "def", "class", "from", "import", "const", "let", "var", "function", "public", "private", "protected", "include",
  "define", "using", "package", "fn", "func", "impl", "struct", "enum", "print", "export", "SELECT", "INSERT", "DELETE",
  "CREATE", "ALTER", "UPDATE",
];

/** File extensions that make `name.ext` read as a file of source or configuration. */
export const SOURCE_EXTENSIONS: readonly string[] = [
  "py", "js", "jsx", "ts", "tsx", "mjs", "java", "kt", "go", "rs", "c", "cpp", "h", "hpp", "rb", "php", "cs", "sh", "json",
  "yml", "yaml", "toml", "sql", "html", "css", "scss", "vue", "swift", "ipynb", "env", "lock", "gradle", "xml",
];
/** Extensions that, followed by `:line`, point into a stack trace. */
export const TRACE_EXTENSIONS: readonly string[] = ["py", "js", "jsx", "ts", "tsx", "go", "rs", "rb", "php", "cs", "c", "cpp", "java", "kt"];
/** Tools whose `name: ... error` lines are shell errors. */
export const SHELL_NAMES: readonly string[] = ["psql", "bash", "zsh", "sh", "node", "python", "python3"];
