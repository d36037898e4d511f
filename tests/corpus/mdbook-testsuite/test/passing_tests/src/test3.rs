println!("test3");
