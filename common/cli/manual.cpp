#include "newsidx/manual.hpp"

#include <iostream>
#include <set>
#include <sstream>

#include "newsidx/options.hpp"

#ifndef NEWSIDX_VERSION
#define NEWSIDX_VERSION "0"
#endif

namespace newsidx::cli {

namespace {

// Text for roff: backslashes doubled, hyphens as minus signs (options must read -- in a
// terminal and copy as ASCII), a line that starts with . or ' made safe.
std::string roff(std::string_view text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') out += "\\e";
        else if (c == '-') out += "\\-";
        else out += c;
    }
    std::string safe;
    std::istringstream lines(out);
    std::string line;
    for (bool first = true; std::getline(lines, line); first = false)
        safe += (first ? "" : "\n") + ((line.starts_with(".") || line.starts_with("'")) ? "\\&" + line : line);
    return safe;
}

// The options a page or a script lists: named ones that help lists (not the generators').
std::vector<const CLI::Option*> listed(const CLI::App& app) {
    return app.get_options([](const CLI::Option* o) {
        return o->nonpositional() && !o->get_group().empty();
    });
}

// "-n, --limit" as typed.
std::string names(const CLI::Option& o) {
    std::string text;
    for (const std::string& s : o.get_snames()) text += (text.empty() ? "-" : ", -") + s;
    for (const std::string& l : o.get_lnames()) text += (text.empty() ? "--" : ", --") + l;
    return text;
}

// The value an option takes, as help names it ("N", "DATE"), or empty for a flag.
std::string value_of(const CLI::Option& o) {
    if (o.get_expected_min() == 0) return {};
    std::string type = o.get_type_name();
    // CLI11's "UINT:INT in [1 - 1024]" is a UINT; "[ADDR:]PORT" is what it says.
    if (const std::size_t range = type.find(" in ["); range != std::string::npos) {
        type = type.substr(0, range);
        if (const std::size_t colon = type.find(':'); colon != std::string::npos) type = type.substr(0, colon);
    }
    return type == "TEXT" ? "VALUE" : type;
}

// A row's choices when the option is one of the search option table's (completions offer them).
std::vector<std::string> choices_of(const CLI::Option& o) {
    std::vector<std::string> out;
    for (const std::string& l : o.get_lnames())
        if (const SearchOption* row = search_option(l); row && row->type == OptionType::Choice)
            for (std::string_view c : row->choices) out.emplace_back(c);
    return out;
}

// An option's help as a completion shows it: its first sentence (or clause), at most about 70
// characters cut at a word, on one line, without the characters the scripts quote with.
std::string first_sentence(std::string text) {
    for (const char* end : {". ", "; ", " ("})
        if (const std::size_t at = text.find(end); at != std::string::npos && at > 12)
            text = text.substr(0, at);
    if (text.size() > 72) {
        const std::size_t space = text.rfind(' ', 70);
        text = text.substr(0, space == std::string::npos ? 70 : space) + "\u2026";
    }
    std::string out;
    for (char c : text) {
        if (c == '\'') out += "\u2019";  // (a typographic apostrophe)
        else if (c == '[') out += '(';
        else if (c == ']') out += ')';
        else if (c == '"' || c == '`' || c == '$' || c == '\\') out += ' ';
        else if (c == '\n') out += ' ';
        else out += c;
    }
    while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
    return out;
}

std::string bash(const CLI::App& app, std::string_view program) {
    std::string words, cases;
    for (const CLI::Option* o : listed(app)) {
        for (const std::string& l : o->get_lnames()) words += " --" + l;
        for (const std::string& s : o->get_snames()) words += " -" + s;
        const std::vector<std::string> choices = choices_of(*o);
        if (choices.empty()) continue;
        std::string list;
        for (const std::string& c : choices) list += (list.empty() ? "" : " ") + c;
        for (const std::string& l : o->get_lnames())
            cases += "        --" + l + ") COMPREPLY=($(compgen -W \"" + list + "\" -- \"$cur\")); return ;;\n";
    }
    const std::string fn = "_newsidx_" + std::string(program);
    return "# bash completion for " + std::string(program) + " (newsidx " NEWSIDX_VERSION
           "), made from its options\n" + fn + "() {\n"
           "    local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\"\n"
           "    case \"$prev\" in\n" + cases +
           "    esac\n"
           "    if [[ \"$cur\" == -* ]]; then\n"
           "        COMPREPLY=($(compgen -W \"" + words.substr(1) + "\" -- \"$cur\"))\n"
           "    else\n"
           "        local IFS=$'\\n'  # file names with spaces stay whole\n"
           "        COMPREPLY=($(compgen -f -- \"$cur\"))\n"
           "    fi\n"
           "}\n"
           "complete -o filenames -F " + fn + " " + std::string(program) + "\n";
}

std::string zsh(const CLI::App& app, std::string_view program) {
    std::string out = "#compdef " + std::string(program) + "\n# zsh completion for " +
                      std::string(program) + " (newsidx " NEWSIDX_VERSION "), made from its options\n"
                      "_arguments -s \\\n";
    for (const CLI::Option* o : listed(app)) {
        const std::string help = first_sentence(o->get_description());
        const std::vector<std::string> choices = choices_of(*o);
        std::string value;
        if (o->get_expected_min() > 0) {
            std::string list;
            for (const std::string& c : choices) list += (list.empty() ? "" : " ") + c;
            value = ":" + (value_of(*o).empty() ? std::string("VALUE") : value_of(*o)) + ":" +
                    (choices.empty() ? "_files" : "(" + list + ")");
        }
        for (const std::string& s : o->get_snames())
            out += "  '-" + s + "[" + help + "]" + value + "' \\\n";
        for (const std::string& l : o->get_lnames())
            out += "  '--" + l + "[" + help + "]" + value + "' \\\n";
    }
    return out + "  '*:file:_files'\n";
}

std::string fish(const CLI::App& app, std::string_view program) {
    std::string out = "# fish completion for " + std::string(program) + " (newsidx " NEWSIDX_VERSION
                      "), made from its options\n";
    for (const CLI::Option* o : listed(app)) {
        std::string line = "complete -c " + std::string(program);
        for (const std::string& s : o->get_snames()) line += " -s " + s;
        for (const std::string& l : o->get_lnames()) line += " -l " + l;
        if (o->get_expected_min() > 0) line += " -r";
        std::string list;
        for (const std::string& c : choices_of(*o)) list += (list.empty() ? "" : " ") + c;
        if (!list.empty()) line += " -f -a '" + list + "'";
        out += line + " -d '" + first_sentence(o->get_description()) + "'\n";
    }
    return out;
}

}  // namespace

std::string man_page(const CLI::App& app, std::string_view program, std::string_view synopsis) {
    std::string upper(program);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    std::string page = ".TH " + upper + " 1 \"\" \"newsidx " NEWSIDX_VERSION "\" \"User Commands\"\n";
    page += ".SH NAME\n" + std::string(program) + " \\- " + roff(app.get_description()) + "\n";
    page += ".SH SYNOPSIS\n.B " + std::string(program) + "\n" + roff(synopsis) + "\n";
    page += ".SH DESCRIPTION\n" + roff(app.get_description()) +
            "\nnewsidx indexes folders of news article files into a Xapian index and searches it. "
            "Article files, the query language and every feature are described in README.md "
            "and docs/ (installed in /usr/share/doc/newsidx with the package, with samples/ to "
            "try it on).\n";
    page += ".SH OPTIONS\n";
    for (const CLI::Option* o : listed(app)) {
        page += ".TP\n.B " + roff(names(*o));
        if (const std::string v = value_of(*o); !v.empty()) page += " \\fI" + roff(v) + "\\fR";
        page += "\n" + roff(o->get_description()) + "\n";
    }
    page += ".SH EXAMPLES\n.nf\n" + roff(app.get_footer()) + "\n.fi\n";
    page += ".SH ENVIRONMENT\n.TP\n.B NEWSIDX_DB\nthe index when " + roff("--db") +
            " is not given (else ./newsidx.db)\n.TP\n.B NO_COLOR\nno colour on a terminal\n";
    page += ".SH SEE ALSO\n" + std::string(program == "indexer" ? ".BR searcher (1),\n" : ".BR indexer (1),\n") +
            ".BR xapian\\-check (1),\n.BR xapian\\-compact (1)\n";
    return page;
}

std::string completion(const CLI::App& app, std::string_view program, std::string_view shell) {
    if (shell == "bash") return bash(app, program);
    if (shell == "zsh") return zsh(app, program);
    if (shell == "fish") return fish(app, program);
    return {};
}

std::optional<int> print_generated(const CLI::App& app, int argc, char** argv,
                                   std::string_view program, std::string_view synopsis) {
    if (argc == 2 && std::string_view(argv[1]) == "--print-man") {
        std::cout << man_page(app, program, synopsis);
        return 0;
    }
    if (argc == 3 && std::string_view(argv[1]) == "--print-completion") {
        const std::string script = completion(app, program, argv[2]);
        if (script.empty()) {
            std::cerr << program << ": error: --print-completion: bash, zsh or fish\n";
            return 2;
        }
        std::cout << script;
        return 0;
    }
    return std::nullopt;
}

}  // namespace newsidx::cli
