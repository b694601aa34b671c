#include <iostream>
int main() { std::cout << "relkit\n"; return 0; }
