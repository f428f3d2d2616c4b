// A first program per sandbox language: it reads a name from stdin and greets it, so a newcomer sees
// stdin and stdout work before writing anything.
export const EXAMPLE_STDIN = 'World';

export const EXAMPLES = {
  python: `name = input()
print(f"Hello, {name}!")
`,
  javascript: `const name = require('fs').readFileSync(0, 'utf8').trim();
console.log(\`Hello, \${name}!\`);
`,
  ruby: `name = gets.to_s.strip
puts "Hello, #{name}!"
`,
  go: `package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"
)

func main() {
	name, _ := bufio.NewReader(os.Stdin).ReadString('\\n')
	fmt.Printf("Hello, %s!\\n", strings.TrimSpace(name))
}
`,
  rust: `use std::io::Read;

fn main() {
    let mut name = String::new();
    std::io::stdin().read_to_string(&mut name).unwrap();
    println!("Hello, {}!", name.trim());
}
`,
  java: `import java.util.Scanner;

public class Main {
    public static void main(String[] args) {
        String name = new Scanner(System.in).nextLine();
        System.out.println("Hello, " + name + "!");
    }
}
`,
  c: `#include <stdio.h>

int main(void) {
    char name[64] = "";
    scanf("%63s", name);
    printf("Hello, %s!\\n", name);
    return 0;
}
`,
  cpp: `#include <iostream>
#include <string>

int main() {
    std::string name;
    std::getline(std::cin, name);
    std::cout << "Hello, " << name << "!" << std::endl;
}
`,
};
